import { describe, expect, it } from 'vitest';
import {
  callOutcomeMetric,
  callOutcomeMetricFields,
  METRIC_NAMESPACE,
} from '../../lambdas/contracts/metrics.js';

describe("the ingest's outcome counts (embedded metric format)", () => {
  it('publishes one dimensionless count per outcome that has calls', () => {
    const fields = callOutcomeMetricFields({ 'answered-location': 3, voicemail: 1, missed: 0 }, 42);
    expect(fields).toEqual({
      _aws: {
        Timestamp: 42,
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [[]],
            Metrics: [
              { Name: 'CallOutcome_answered-location', Unit: 'Count' },
              { Name: 'CallOutcome_voicemail', Unit: 'Count' },
            ],
          },
        ],
      },
      [callOutcomeMetric('answered-location')]: 3,
      [callOutcomeMetric('voicemail')]: 1,
    });
  });
});
