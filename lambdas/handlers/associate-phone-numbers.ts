import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { asyncCustomResource } from '../adapters/cloudformation/custom-resource.js';
import { createPhoneNumberFlowsClient } from '../adapters/connect/phone-number-flows.js';
import { dynamoDbProgressStore } from '../adapters/dynamodb/association-progress-store.js';
import { associatePhoneNumbersEnvironment } from '../contracts/environment.js';
import {
  type AssociatePhoneNumbersDependencies,
  associatePhoneNumbers,
} from '../use-cases/associate-phone-numbers.js';

/**
 * The onEvent and isComplete handler of the custom resource that points the tracking numbers at
 * the inbound contact flow (aws-cdk-lib/custom-resources `Provider`; a thrown error fails the
 * deploy with its message in the CloudFormation events). What each phase does is described in
 * use-cases/associate-phone-numbers.ts, the plan in domain/phone-number-association-plan.ts.
 */

/** The handler, with its collaborators passed in so tests can replace them. */
export const associatePhoneNumbersHandler = (dependencies: AssociatePhoneNumbersDependencies) => {
  const { start, resume } = associatePhoneNumbers(dependencies);
  return asyncCustomResource({
    async start(change, requestId) {
      const { physicalResourceId, phoneNumberCount } = await start({ change, requestId });
      return { physicalResourceId, data: { PhoneNumberCount: String(phoneNumberCount) } };
    },
    resume: (change, requestId, remainingTimeMs) => resume({ change, requestId, remainingTimeMs }),
  });
};

// Module scope: read once per container, one client of each.
const settings = associatePhoneNumbersEnvironment.read(process.env);

export const handler = middy(
  associatePhoneNumbersHandler({
    connect: createPhoneNumberFlowsClient(),
    progress: dynamoDbProgressStore(new DynamoDBClient({}), settings.progressTableName),
    rateLimitPerSecond: settings.rateLimitPerSecond,
  }),
);
