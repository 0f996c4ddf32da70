import { Token } from 'aws-cdk-lib';
import {
  connectNamePrefix,
  portfolioQueueName,
  routingProfileName,
} from '../../lambdas/contracts/connect-names.js';
import {
  CONNECT_INSTANCE_ARN_PATTERN,
  CONNECT_QUEUE_ARN_PATTERN,
} from '../../lambdas/domain/connect-arn.js';
import type { CallTrackingConfig } from '../call-tracking-app.js';
import { ContextError } from './context-error.js';

/**
 * What a deploy would certainly fail on, or deploy broken, and synth can know offline: refused
 * before any stack is built, so `cdk deploy` never starts (and never leaves a half-made instance).
 * Each problem names what is wrong and the context value or portfolio entry that fixes it.
 */

const ARN_EXAMPLE = 'arn:aws:connect:<region>:<account>:instance/<instance id>';

/**
 * The placeholder instance that CI, the tests, the bench and `npm run synth` synthesize the example
 * portfolio into offline: its `number:` entries need an existing instance. (Also in package.json
 * and .ci/run.)
 */
export const EXAMPLE_INSTANCE_ARN =
  'arn:aws:connect:us-east-1:123456789012:instance/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

/** CreateInstance's InstanceAlias: 1-45 letters, digits and dashes, not starting with "d-". */
const INSTANCE_ALIAS_PATTERN = /^(?!d-)([\da-zA-Z]+)(-*[\da-zA-Z])*$/;
const INSTANCE_ALIAS_MAX_LENGTH = 45;
/** Stands in for an account id not known at synth: every account id has 12 digits. */
const UNKNOWN_ACCOUNT = '000000000000';

/** A value the synth knows (not absent, not a token resolved only at deploy). */
const known = (value: string | undefined): value is string =>
  value !== undefined && !Token.isUnresolved(value);

const listed = (ids: readonly string[]): string =>
  ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;

const existingInstanceProblems = (config: CallTrackingConfig, arn: string): string[] => {
  const match = CONNECT_INSTANCE_ARN_PATTERN.exec(arn);
  if (!match) {
    return [
      `connectInstanceArn "${arn}" is not an Amazon Connect instance ARN: copy it from the Connect console (Overview > Distribution settings), e.g. ${ARN_EXAMPLE}`,
    ];
  }
  const [, , , instanceRegion = '', instanceAccount = ''] = arn.split(':');
  const instanceId = match[1];
  const problems: string[] = [];
  const { region, account } = config.env ?? {};
  if (known(region) && instanceRegion !== region) {
    problems.push(
      `connectInstanceArn is in ${instanceRegion} but the stack deploys to ${region}: Connect invokes functions in its own region only. Deploy with CDK_DEFAULT_REGION=${instanceRegion} (or AWS_REGION) set to the instance's region`,
    );
  }
  if (known(account) && instanceAccount !== account) {
    problems.push(
      `connectInstanceArn is in account ${instanceAccount} but the stack deploys to account ${account}: the stack's functions let only their own account's Connect invoke them, and a flow cannot be published in another account's instance. Deploy with the credentials of account ${instanceAccount}, or give an instance of account ${account}`,
    );
  }
  const elsewhere = config.portfolio.queues.filter(
    (queue) =>
      queue.arn !== undefined && CONNECT_QUEUE_ARN_PATTERN.exec(queue.arn)?.[1] !== instanceId,
  );
  if (elsewhere.length > 0) {
    problems.push(
      `${portfolioName(config)}: queues ${listed(elsewhere.map((q) => q.id))} are given by an ARN of another instance than connectInstanceArn (${instanceId}): a flow can send a caller only to a queue of its own instance. Give the ARN of a queue in instance ${instanceId}, or leave "arn:" out to have the stack create the queue`,
    );
  }
  const agentsElsewhere = config.portfolio.agents.filter(
    (agent) => !agent.securityProfile.includes(`:instance/${instanceId}/`),
  );
  if (agentsElsewhere.length > 0) {
    problems.push(
      `${portfolioName(config)}: agents ${listed(agentsElsewhere.map((a) => a.username))} have a security profile of another instance than connectInstanceArn (${instanceId}): a user takes only a profile of its own instance. Copy the ARN of a security profile of instance ${instanceId} (Connect console > Users > Security profiles)`,
    );
  }
  return problems;
};

const newInstanceProblems = (config: CallTrackingConfig): string[] => {
  const problems: string[] = [];
  const inInstance = config.portfolio.trackingNumbers.filter((t) => t.number !== undefined);
  if (inInstance.length > 0) {
    problems.push(
      `${portfolioName(config)}: ${inInstance.length} tracking numbers are given as "number:" (${listed(inInstance.map((t) => t.id))}), numbers already in a Connect instance, but without -c connectInstanceArn the stack creates a new instance, which holds no numbers: associating them with the flow would fail the deploy. Either deploy into the instance that holds them with -c connectInstanceArn=${ARN_EXAMPLE}, or declare them with "claim:" (country, type, prefix) so that the stack claims new numbers`,
    );
  }
  const queuesByArn = config.portfolio.queues.filter((queue) => queue.arn !== undefined);
  if (queuesByArn.length > 0) {
    problems.push(
      `${portfolioName(config)}: queues ${listed(queuesByArn.map((q) => q.id))} are given by "arn:", queues of an existing instance, but the stack creates a new instance: a flow can send a caller only to a queue of its own instance. Deploy into that instance with -c connectInstanceArn=${ARN_EXAMPLE}, or leave "arn:" out to have the stack create the queues`,
    );
  }
  if (config.portfolio.agents.length > 0) {
    problems.push(
      `${portfolioName(config)}: agents ${listed(config.portfolio.agents.map((a) => a.username))} are declared, but the stack creates a new instance, whose security profiles have no ARN before it exists. Deploy once without "agents", then add them with the ARN of a security profile of the new instance (Connect console > Users > Security profiles)`,
    );
  }
  const givenAccount = config.env?.account;
  const account = known(givenAccount) ? givenAccount : UNKNOWN_ACCOUNT;
  const alias = config.instanceAlias ?? `${config.stackPrefix}-${account}`;
  if (alias.length > INSTANCE_ALIAS_MAX_LENGTH || !INSTANCE_ALIAS_PATTERN.test(alias)) {
    const given =
      config.instanceAlias === undefined
        ? `the instance alias defaults to <stackPrefix>-<account id> ("${config.stackPrefix}-${account}"), which`
        : `-c instanceAlias=${config.instanceAlias}`;
    problems.push(
      `${given} is not a Connect instance alias (at most ${INSTANCE_ALIAS_MAX_LENGTH} letters, digits and dashes, not starting with "d-"; it becomes the instance's login subdomain): choose one with -c instanceAlias=<alias>`,
    );
  }
  return problems;
};

/** CreateQueue's and CreateRoutingProfile's Name: at most 127 characters. */
const CONNECT_NAME_MAX_LENGTH = 127;
/** Stands in for the first group of the stack id, which created names carry (telephony-stack). */
const STACK_ID_GROUP = 'xxxxxxxx';

/** The queues and routing profiles the stack creates whose names are longer than Connect takes. */
const createdNameProblems = (config: CallTrackingConfig): string[] => {
  const prefix = connectNamePrefix(config.stackPrefix, STACK_ID_GROUP);
  const named = [
    ...config.portfolio.queues
      .filter((queue) => queue.arn === undefined)
      .map((queue) => ({ what: `queue ${queue.id}`, name: portfolioQueueName(queue, prefix) })),
    ...config.portfolio.routingProfiles.map((profile) => ({
      what: `routing profile ${profile.id}`,
      name: routingProfileName(profile, prefix),
    })),
  ];
  return named
    .filter(({ name }) => name.length > CONNECT_NAME_MAX_LENGTH)
    .map(
      ({ what, name }) =>
        `${portfolioName(config)}: ${what} would be created as "${name}" (the stack id's group stands in as ${STACK_ID_GROUP}), ${name.length} characters, and Connect takes at most ${CONNECT_NAME_MAX_LENGTH}: shorten its name or -c stackPrefix`,
    );
};

/** Countries of the North American Numbering Plan that Connect claims numbers in: code +1. */
const NANP_COUNTRIES = new Set(['US', 'CA']);
/** NANP toll-free area codes: a TOLL_FREE number has one, a DID never. */
const NANP_TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'].map((code) => `+1${code}`);

/**
 * Claims that can find no number: a NANP country with a prefix outside +1, or a toll-free prefix
 * for a DID (or the reverse). Connect claims only numbers that start with the prefix.
 */
const claimProblems = (config: CallTrackingConfig): string[] =>
  config.portfolio.trackingNumbers.flatMap(({ id, claim }) => {
    if (claim?.prefix === undefined || !NANP_COUNTRIES.has(claim.country)) return [];
    const at = `${portfolioName(config)}: tracking number ${id} claims a ${claim.type} in ${claim.country} with prefix ${claim.prefix}`;
    if (!claim.prefix.startsWith('+1')) {
      return [`${at}, but numbers of ${claim.country} start with +1: give a prefix such as +1512`];
    }
    const { prefix } = claim;
    const tollFree = NANP_TOLL_FREE.some((code) => prefix.startsWith(code));
    const mayBeTollFree = tollFree || NANP_TOLL_FREE.some((code) => code.startsWith(prefix));
    if (claim.type === 'TOLL_FREE' && !mayBeTollFree) {
      return [
        `${at}, which is not a toll-free area code (800, 833, 844, 855, 866, 877, 888): give e.g. +1800, or type DID`,
      ];
    }
    if (claim.type === 'DID' && tollFree) {
      return [`${at}, a toll-free area code: claim it with type TOLL_FREE, or give a local prefix`];
    }
    return [];
  });

const portfolioName = (config: CallTrackingConfig): string =>
  config.portfolioFile ?? 'config/portfolio.yaml';

/**
 * What only the portfolio decides, whatever the account holds (names Connect would refuse, claims
 * that can find no number): `npm run preflight` reports these as synth's refusals.
 */
export const portfolioProblems = (config: CallTrackingConfig): string[] => [
  ...createdNameProblems(config),
  ...claimProblems(config),
];

/** Every problem the deploy target has; none when the deploy can go ahead. */
export const deployTargetProblems = (config: CallTrackingConfig): string[] => [
  ...(config.existingInstanceArn === undefined
    ? newInstanceProblems(config)
    : existingInstanceProblems(config, config.existingInstanceArn)),
  ...portfolioProblems(config),
];

/** Throws a {@link ContextError} listing every problem of the deploy target. */
export const assertDeployable = (config: CallTrackingConfig): void => {
  const problems = deployTargetProblems(config);
  if (problems.length === 0) return;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new ContextError(
    `${count} the deploy would fail on:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
};
