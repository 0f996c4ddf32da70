/**
 * The run-count multiplier of the reliability suites: `npm run fuzz` sets FUZZ_SCALE=10, a plain
 * `npm run test:reliability` runs at 1.
 */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);

if (!Number.isFinite(FUZZ_SCALE) || FUZZ_SCALE <= 0) {
  throw new Error(`FUZZ_SCALE must be a positive number, got ${process.env.FUZZ_SCALE}`);
}

/** `runs` at scale 1, multiplied by FUZZ_SCALE (at least 1). */
export const scaled = (runs: number): number => Math.max(1, Math.round(runs * FUZZ_SCALE));
