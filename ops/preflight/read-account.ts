import {
  type ConnectClient,
  DescribeInstanceCommand,
  paginateListContactFlows,
  paginateListHoursOfOperations,
  paginateListInstances,
  paginateListQueues,
  paginateListRoutingProfiles,
} from '@aws-sdk/client-connect';
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  NoSuchResourceException,
  type ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { listPhoneNumberIds } from '../../lambdas/adapters/connect/phone-number-flows.js';
import { instanceIdOf } from '../../lambdas/domain/connect-arn.js';
import type { AccountFacts, InstanceFacts, NamedResource, ReadFailure, Reading } from './facts.js';
import { CONNECT_QUOTA_KEYS, QUOTAS, type ServiceQuota } from './quotas.js';

/**
 * The reads of `npm run preflight`, and nothing but reads: the instance, its flows, queues, hours
 * and numbers (Connect), the quotas (Service Quotas) and the concurrency (Lambda). Each read that
 * fails is recorded with its reason instead of stopping the others.
 */

export interface PreflightClients {
  readonly connect: ConnectClient;
  readonly serviceQuotas: ServiceQuotasClient;
  readonly lambda: LambdaClient;
}

const failureOf = (action: string, error: unknown): ReadFailure => {
  const name = error instanceof Error ? error.name : 'Error';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const kind =
    name === 'ResourceNotFoundException' || name === 'NoSuchResourceException'
      ? 'missing'
      : /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(name)
        ? 'denied'
        : /Throttl|TooManyRequests/.test(name)
          ? 'throttled'
          : 'failed';
  return { kind, action, detail: detail.slice(0, 300) };
};

const read = async <T>(action: string, run: () => Promise<T>): Promise<Reading<T>> => {
  try {
    return { value: await run() };
  } catch (error) {
    return { failure: failureOf(action, error) };
  }
};

/** Every page's summaries as name and ARN. */
const namedResources = async <Page>(
  pages: AsyncIterable<Page>,
  summariesOf: (page: Page) => readonly { Name?: string; Arn?: string }[] | undefined,
): Promise<NamedResource[]> => {
  const resources: NamedResource[] = [];
  for await (const page of pages) {
    for (const { Name, Arn } of summariesOf(page) ?? []) {
      if (Name !== undefined) resources.push({ name: Name, arn: Arn ?? '' });
    }
  }
  return resources;
};

const readInstance = async (connect: ConnectClient, arn: string): Promise<InstanceFacts> => {
  const InstanceId = instanceIdOf(arn) ?? arn;
  const description = await read('connect:DescribeInstance', async () => {
    const { Instance } = await connect.send(new DescribeInstanceCommand({ InstanceId }));
    return {
      status: Instance?.InstanceStatus ?? 'UNKNOWN',
      alias: Instance?.InstanceAlias,
      inboundCallsEnabled: Instance?.InboundCallsEnabled === true,
      outboundCallsEnabled: Instance?.OutboundCallsEnabled === true,
    };
  });
  // An instance that cannot be described cannot be listed either: one reason is enough.
  if (!('value' in description)) return { arn, description };
  const client = { client: connect, pageSize: 100 };
  const [contactFlows, queues, hoursOfOperation, routingProfiles, phoneNumbers] = await Promise.all(
    [
      read('connect:ListContactFlows', () =>
        namedResources(
          paginateListContactFlows(client, { InstanceId }),
          (page) => page.ContactFlowSummaryList,
        ),
      ),
      read('connect:ListQueues', () =>
        namedResources(
          paginateListQueues(client, { InstanceId, QueueTypes: ['STANDARD'] }),
          (page) => page.QueueSummaryList,
        ),
      ),
      read('connect:ListHoursOfOperations', () =>
        namedResources(
          paginateListHoursOfOperations(client, { InstanceId }),
          (page) => page.HoursOfOperationSummaryList,
        ),
      ),
      read('connect:ListRoutingProfiles', () =>
        namedResources(
          paginateListRoutingProfiles(client, { InstanceId }),
          (page) => page.RoutingProfileSummaryList,
        ),
      ),
      read('connect:ListPhoneNumbersV2', async () => [
        ...(await listPhoneNumberIds(connect, arn)).keys(),
      ]),
    ],
  );
  return {
    arn,
    description,
    contactFlows,
    queues,
    hoursOfOperation,
    routingProfiles,
    phoneNumbers,
  };
};

const readInstanceAliases = async (connect: ConnectClient) => {
  const aliases: { alias: string | undefined }[] = [];
  for await (const page of paginateListInstances({ client: connect }, {})) {
    for (const summary of page.InstanceSummaryList ?? []) {
      aliases.push({ alias: summary.InstanceAlias });
    }
  }
  return aliases;
};

/**
 * A quota's applied value: for a per-instance quota, the instance's own (the ARN is its context);
 * where Service Quotas holds no applied value, the AWS default, as its documentation says to.
 */
const readQuota = async (
  client: ServiceQuotasClient,
  quota: ServiceQuota,
  instanceArn: string | undefined,
): Promise<number> => {
  const ids = { ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode };
  const context = quota.scope === 'instance' && instanceArn ? { ContextId: instanceArn } : {};
  try {
    const { Quota } = await client.send(new GetServiceQuotaCommand({ ...ids, ...context }));
    if (Quota?.Value !== undefined) return Quota.Value;
  } catch (error) {
    if (!(error instanceof NoSuchResourceException)) throw error;
  }
  const { Quota } = await client.send(new GetAWSDefaultServiceQuotaCommand(ids));
  return Quota?.Value ?? quota.defaultValue;
};

export const readAccountFacts = async (
  clients: PreflightClients,
  { region, instanceArn }: { readonly region: string; readonly instanceArn?: string },
): Promise<AccountFacts> => {
  const quotaReadings = CONNECT_QUOTA_KEYS.map(async (key) => {
    const quota = QUOTAS[key];
    const reading = await read('servicequotas:GetServiceQuota', () =>
      readQuota(clients.serviceQuotas, quota, instanceArn),
    );
    return [key, reading] as const;
  });
  const [instance, instances, quotas, lambda] = await Promise.all([
    instanceArn ? readInstance(clients.connect, instanceArn) : undefined,
    instanceArn
      ? undefined
      : read('connect:ListInstances', () => readInstanceAliases(clients.connect)),
    Promise.all(quotaReadings),
    read('lambda:GetAccountSettings', async () => {
      const { AccountLimit } = await clients.lambda.send(new GetAccountSettingsCommand({}));
      return {
        concurrentExecutions: AccountLimit?.ConcurrentExecutions ?? 0,
        unreservedConcurrentExecutions: AccountLimit?.UnreservedConcurrentExecutions ?? 0,
      };
    }),
  ]);
  return {
    region,
    ...(instance ? { instance } : {}),
    ...(instances ? { instances } : {}),
    quotas: Object.fromEntries(quotas),
    lambda,
  };
};
