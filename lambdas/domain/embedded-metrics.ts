/**
 * CloudWatch embedded metric format (EMF): a JSON log line with an `_aws` block that CloudWatch
 * Logs turns into metrics. Written by hand rather than with Powertools Metrics: the format is a
 * documented one-object schema and route-call already writes one JSON line per call, so the
 * block adds no dependency and no import time to the function with the tightest budget.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export type EmfUnit = 'Count' | 'Milliseconds' | 'None';

export interface EmfMetric {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly value: number;
}

/**
 * The fields to merge into a log line so that it also publishes `metrics`, with the named
 * dimensions (whose values must be top-level fields of the same line, strings).
 */
export const embeddedMetricFields = (
  namespace: string,
  dimensions: readonly string[],
  metrics: readonly EmfMetric[],
  timestampMs: number,
): Record<string, unknown> => ({
  _aws: {
    Timestamp: timestampMs,
    CloudWatchMetrics: [
      {
        Namespace: namespace,
        Dimensions: [[...dimensions]],
        Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })),
      },
    ],
  },
  ...Object.fromEntries(metrics.map(({ name, value }) => [name, value])),
});
