import middy from '@middy/core';
import { customResourceOnEvent } from '../adapters/cloudformation/custom-resource.js';
import { createPhoneNumberFlowsClient } from '../adapters/connect/phone-number-flows.js';
import {
  type AssociatePhoneNumbersDependencies,
  associatePhoneNumbers,
} from '../use-cases/associate-phone-numbers.js';

/**
 * onEvent handler of the custom resource that points the tracking numbers at the inbound contact
 * flow (aws-cdk-lib/custom-resources `Provider`; a thrown error fails the deploy with its message in
 * the CloudFormation events). The properties and the plan are described in
 * domain/phone-number-association-plan.ts, the Connect calls in adapters/connect/phone-number-flows.ts.
 */

/** The onEvent function, with its collaborators passed in so tests can replace them. */
export const associatePhoneNumbersOnEvent = (dependencies: AssociatePhoneNumbersDependencies) => {
  const associate = associatePhoneNumbers(dependencies);
  return customResourceOnEvent(async (change) => {
    const { physicalResourceId, phoneNumberCount } = await associate(change);
    return { physicalResourceId, data: { PhoneNumberCount: String(phoneNumberCount) } };
  });
};

// Module scope: one client per container, made to ride out Connect's throttling.
const connect = createPhoneNumberFlowsClient();

export const handler = middy(associatePhoneNumbersOnEvent({ connect }));
