/** What a PUT of a resource did: created it or replaced it, and the resource as now stored. */
export interface SavedResource<R> {
  readonly created: boolean;
  /** Undefined only when the catalog written no longer holds it. */
  readonly resource: R | undefined;
}
