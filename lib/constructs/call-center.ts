import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  type CallCenterDeclaration,
  defaultRoutingProfileName,
  routingProfileName,
} from '../../lambdas/contracts/connect-names.js';
import { queuesWithoutRoutingProfile } from '../../lambdas/domain/portfolio/call-center.js';
import type {
  PortfolioAgent,
  PortfolioRoutingProfile,
} from '../../lambdas/domain/portfolio/schema.js';

/** A voice contact at a time: Connect takes no other voice concurrency. */
const VOICE_ONLY = [{ channel: 'VOICE', concurrency: 1 }];

/** After-call work ends by itself after this, so an agent forgetting it does not leave the queue. */
const AFTER_CONTACT_WORK_SECONDS = 120;

export interface CallCenterProps extends CallCenterDeclaration {
  readonly instanceArn: string;
  /** Prefix of created names, so stages can share an instance. */
  readonly namePrefix: string;
  readonly agents: readonly PortfolioAgent[];
  /** The ARN of a portfolio queue (PortfolioQueues). */
  readonly queueArnOf: (queueId: string) => string;
}

/**
 * Who answers the portfolio's queues: its routing profiles, a default one for the queues no
 * declared profile serves (so every queue a caller can be sent to has agents who can take it), and
 * its agents, as Connect users.
 *
 * Routing profiles are kept when the stack is deleted, as the queues they serve are: Connect
 * refuses to delete a profile users are assigned to, and agents added in the console would fail
 * `cdk destroy`. Agents the stack creates are deleted with it (a login nobody manages should not
 * outlive its stack), their first passwords with them.
 */
export class CallCenter extends Construct {
  private readonly profileArns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: CallCenterProps) {
    super(scope, id);
    for (const profile of props.routingProfiles) {
      this.profileArns.set(
        profile.id,
        this.routingProfile(`RoutingProfile-${profile.id}`, props, {
          name: routingProfileName(profile, props.namePrefix),
          description: profile.description ?? `call-tracking routing profile ${profile.id}`,
          queues: profile.queues,
          outboundQueue: profile.outboundQueue,
        }),
      );
    }
    const unserved = queuesWithoutRoutingProfile(props);
    if (unserved.length > 0) {
      this.routingProfile('DefaultRoutingProfile', props, {
        name: defaultRoutingProfileName(props.namePrefix),
        description: 'call-tracking queues no declared routing profile serves',
        queues: unserved.map((queue) => ({ queue: queue.id, priority: 1, delaySeconds: 0 })),
        outboundQueue: undefined,
      });
    }
    for (const agent of props.agents) this.agent(agent, props);
  }

  private routingProfile(
    constructId: string,
    props: CallCenterProps,
    profile: Omit<PortfolioRoutingProfile, 'id'>,
  ): string {
    const [first] = profile.queues;
    // The schema requires a queue in every profile; the default one exists only with a queue.
    if (!first) throw new Error(`routing profile "${profile.name}" serves no queue`);
    const created = new connect.CfnRoutingProfile(this, constructId, {
      instanceArn: props.instanceArn,
      name: profile.name,
      description: profile.description ?? profile.name,
      defaultOutboundQueueArn: props.queueArnOf(profile.outboundQueue ?? first.queue),
      mediaConcurrencies: VOICE_ONLY,
      queueConfigs: profile.queues.map((entry) => ({
        priority: entry.priority,
        delay: entry.delaySeconds,
        queueReference: { channel: 'VOICE', queueArn: props.queueArnOf(entry.queue) },
      })),
    });
    created.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    return created.attrRoutingProfileArn;
  }

  private agent(agent: PortfolioAgent, props: CallCenterProps): void {
    const routingProfileArn = this.profileArns.get(agent.routingProfile);
    if (!routingProfileArn) {
      throw new Error(
        `agent ${agent.username}: routing profile "${agent.routingProfile}" is not declared`,
      );
    }
    new connect.CfnUser(this, `Agent-${agent.username}`, {
      instanceArn: props.instanceArn,
      username: agent.username,
      identityInfo: {
        firstName: agent.firstName,
        lastName: agent.lastName,
        ...(agent.email !== undefined ? { email: agent.email } : {}),
      },
      phoneConfig: {
        phoneType: 'SOFT_PHONE',
        autoAccept: false,
        afterContactWorkTimeLimit: AFTER_CONTACT_WORK_SECONDS,
      },
      routingProfileArn,
      securityProfileArns: [agent.securityProfile],
      // Connect-managed sign-in needs a password, and it is an error with SAML or a directory.
      ...(agent.signIn === 'connect' ? { password: this.firstPassword(agent) } : {}),
    });
  }

  /**
   * A first password generated in Secrets Manager: the template holds only a dynamic reference,
   * which CloudFormation resolves at deploy. The administrator hands it over once; the agent
   * then changes it in Connect, so rotating the secret would change nothing.
   */
  private firstPassword(agent: PortfolioAgent): string {
    const secret = new secretsmanager.Secret(this, `FirstPassword-${agent.username}`, {
      description: `First Amazon Connect password of ${agent.username} (call tracking)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: agent.username }),
        generateStringKey: 'password',
        // Connect: 8-64 characters with an upper-case letter, a lower-case letter and a digit.
        passwordLength: 32,
        excludePunctuation: true,
        requireEachIncludedType: true,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A first sign-in password the agent replaces in Connect; rotating the secret would not change the Connect password.',
    });
    return secret.secretValueFromJson('password').unsafeUnwrap();
  }
}
