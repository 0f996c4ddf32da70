import { describe, expect, it } from 'vitest';
import {
  findPlaceholders,
  InvalidFlowError,
  parseFlow,
  substitutePlaceholders,
  validateFlow,
} from '../../lambdas/flow/language/index.js';
import { inboundFlowText } from '../flow/shipped-flow.js';

/** `${name}`, written without a literal `${` in a plain string (which reads like a mistake). */
const braced = (name: string): string => `\${${name}}`;

/** The flow as plain JSON, loose enough to break on purpose. */
interface EditableAction {
  Identifier: unknown;
  Type: unknown;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: unknown;
    Errors?: { NextAction: unknown; ErrorType: unknown }[];
    Conditions?: { NextAction: unknown; Condition: { Operator: unknown; Operands: unknown[] } }[];
  };
}

interface EditableFlow {
  Version: unknown;
  StartAction: unknown;
  Metadata: { ActionMetadata: Record<string, Record<string, unknown>> };
  Actions: EditableAction[];
}

const editedFlow = (edit: (flow: EditableFlow) => void): EditableFlow => {
  const flow = JSON.parse(inboundFlowText()) as EditableFlow;
  edit(flow);
  return flow;
};

const actionIn = (flow: EditableFlow, id: string): EditableAction => {
  const action = flow.Actions.find((a) => a.Identifier === id);
  if (action === undefined) throw new Error(`the flow has no action "${id}"`);
  return action;
};

/** Renames an action everywhere it is named, so only the new name itself can be wrong. */
const renameAction = (flow: EditableFlow, from: string, to: string): void => {
  const renamed = JSON.parse(
    JSON.stringify(flow).replaceAll(`"${from}"`, `"${to}"`),
  ) as EditableFlow;
  Object.assign(flow, renamed);
};

const disconnectNamed = (id: string): EditableAction => ({
  Identifier: id,
  Type: 'DisconnectParticipant',
  Parameters: {},
  Transitions: {},
});

/** Two tokens back to back, the first cut short: `${Token[TOKEN.1}${Token[TOKEN.2]}`. */
const twoTokens = `${braced('Token[TOKEN.1')}${braced('Token[TOKEN.2]')}`;

interface BrokenFlow {
  readonly rule: string;
  /** The action every problem must name; `flow` for envelope problems. */
  readonly about: string;
  readonly edit: (flow: EditableFlow) => void;
  /** Fragments that must each appear in some problem. */
  readonly says: readonly string[];
}

/** The shipped flow's staffing check before the fallback queue, broken by `edit`. */
const STAFFING_CHECK = 'check-fallback-queue-staffing';
/**
 * The action whose only way on is the apology (stopping the message stream after a failed
 * voicemail mark) would be a dead end too once the apology is broken: it is sent straight to the
 * hang-up, so the problems name the apology alone.
 */
const leaveApologyAlone = (f: EditableFlow): void => {
  actionIn(f, 'stop-message-stream-unmarked').Transitions = {
    NextAction: 'disconnect',
    Errors: [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }],
  };
};

const brokenStaffingCheck = (
  rule: string,
  edit: (check: EditableAction) => void,
  says: readonly string[],
): BrokenFlow => ({
  rule,
  about: STAFFING_CHECK,
  edit: (f) => edit(actionIn(f, STAFFING_CHECK)),
  says,
});

const broken: readonly BrokenFlow[] = [
  {
    rule: 'a Version other than 2019-10-30',
    about: 'flow',
    edit: (f) => {
      f.Version = '2020-01-01';
    },
    says: ['Version is "2020-01-01"; write "2019-10-30"'],
  },
  {
    rule: 'a StartAction that names no action',
    about: 'flow',
    edit: (f) => {
      f.StartAction = 'begin';
    },
    says: ['StartAction "begin" names no action'],
  },
  {
    rule: 'a key outside the envelope',
    about: 'flow',
    edit: (f) => {
      Object.assign(f, { Settings: {} });
    },
    says: ['Settings is not part of the Flow Language envelope'],
  },
  {
    rule: 'a capitalised layout key',
    about: 'flow',
    edit: (f) => {
      f.Metadata.ActionMetadata['play-apology'] = { Position: { x: 1, y: 1 } };
    },
    says: ['Metadata.ActionMetadata."play-apology".Position is capitalised; write position'],
  },
  {
    rule: 'an unknown action type',
    about: 'play-apology',
    edit: (f) => {
      actionIn(f, 'play-apology').Type = 'PlayPrompt';
    },
    says: ['Type is "PlayPrompt", which this project does not support; write one of'],
  },
  {
    rule: 'an unknown parameter',
    about: 'play-apology',
    edit: (f) => {
      actionIn(f, 'play-apology').Parameters.Voice = 'Joanna';
    },
    says: ['Parameters.Voice is not allowed here; remove it'],
  },
  {
    rule: "the docs' name for the transfer timeout",
    about: 'ring-location',
    edit: (f) => {
      const { Parameters } = actionIn(f, 'ring-location');
      Parameters.ThirdPartyConnectionTimeoutSeconds =
        Parameters.ThirdPartyConnectionTimeLimitSeconds;
      delete Parameters.ThirdPartyConnectionTimeLimitSeconds;
    },
    says: [
      'Parameters.ThirdPartyConnectionTimeoutSeconds is not allowed here',
      'Parameters.ThirdPartyConnectionTimeLimitSeconds is missing',
    ],
  },
  {
    rule: 'a missing ContinueFlowExecution',
    about: 'ring-location',
    edit: (f) => {
      delete actionIn(f, 'ring-location').Parameters.ContinueFlowExecution;
    },
    says: ['Parameters.ContinueFlowExecution is missing'],
  },
  {
    rule: 'a numeric scalar',
    about: 'lookup-route',
    edit: (f) => {
      actionIn(f, 'lookup-route').Parameters.InvocationTimeLimitSeconds = 3;
    },
    says: ['Parameters.InvocationTimeLimitSeconds is 3 (a number); write "3"'],
  },
  {
    rule: 'a boolean scalar',
    about: 'ring-location',
    edit: (f) => {
      actionIn(f, 'ring-location').Parameters.ContinueFlowExecution = true;
    },
    says: ['Parameters.ContinueFlowExecution is true (a boolean); write a string such as "True"'],
  },
  {
    rule: 'an empty string in a nested map',
    about: 'save-route-answer',
    edit: (f) => {
      (actionIn(f, 'save-route-answer').Parameters.Attributes as Record<string, string>).source =
        '';
    },
    says: ['Parameters.Attributes.source is an empty string'],
  },
  {
    rule: 'an empty condition operand',
    about: 'check-route-found',
    edit: (f) => {
      const [found] = actionIn(f, 'check-route-found').Transitions.Conditions ?? [];
      if (found) found.Condition.Operands = [''];
    },
    says: ['Transitions.Conditions[0].Condition.Operands[0] is an empty string'],
  },
  {
    rule: 'a NextAction that names no action',
    about: 'ring-location',
    edit: (f) => {
      actionIn(f, 'ring-location').Transitions.NextAction = 'hang-up';
    },
    says: ['Transitions.NextAction is "hang-up", which names no action'],
  },
  {
    rule: 'a transfer that keeps control without a CallFailed branch',
    about: 'ring-location',
    edit: (f) => {
      const { Transitions } = actionIn(f, 'ring-location');
      Transitions.Errors = Transitions.Errors?.filter((e) => e.ErrorType !== 'CallFailed');
    },
    says: [
      'Transitions.Errors lacks CallFailed, which TransferParticipantToThirdParty with ContinueFlowExecution "True" requires',
    ],
  },
  {
    rule: 'a transfer that hands the call over but handles its failures',
    about: 'ring-location',
    edit: (f) => {
      actionIn(f, 'ring-location').Parameters.ContinueFlowExecution = 'False';
    },
    says: [
      'ErrorType is "CallFailed", which TransferParticipantToThirdParty with ContinueFlowExecution "False" does not raise',
      'ErrorType is "ConnectionTimeLimitExceeded", which',
    ],
  },
  {
    rule: 'a Compare whose else branches differ',
    about: 'check-open-hours',
    edit: (f) => {
      actionIn(f, 'check-open-hours').Transitions.NextAction = 'transfer-to-static-fallback';
    },
    says: ['the NoMatchingCondition branch goes to "check-fallback-type"; point both at the same'],
  },
  {
    rule: 'a Compare on a literal',
    about: 'check-route-found',
    edit: (f) => {
      actionIn(f, 'check-route-found').Parameters.ComparisonValue = 'found';
    },
    says: ['Parameters.ComparisonValue is "found"; write a single JSONPath'],
  },
  {
    rule: 'a Compare on a bare namespace',
    about: 'check-route-found',
    edit: (f) => {
      actionIn(f, 'check-route-found').Parameters.ComparisonValue = '$.Attributes';
    },
    says: ['Parameters.ComparisonValue is "$.Attributes"; write a single JSONPath'],
  },
  {
    rule: 'an operator Compare does not know',
    about: 'check-route-found',
    edit: (f) => {
      const [found] = actionIn(f, 'check-route-found').Transitions.Conditions ?? [];
      if (found) found.Condition.Operator = 'Contains';
    },
    says: ['Condition.Operator is "Contains", which Compare does not accept; write one of Equals'],
  },
  {
    rule: 'two operands',
    about: 'check-route-found',
    edit: (f) => {
      const [found] = actionIn(f, 'check-route-found').Transitions.Conditions ?? [];
      if (found) found.Condition.Operands = ['found', 'unknown'];
    },
    says: ['Condition.Operands is a list of 2; write a list of exactly one operand'],
  },
  {
    rule: 'a Lambda time limit above 8 seconds',
    about: 'lookup-route',
    edit: (f) => {
      actionIn(f, 'lookup-route').Parameters.InvocationTimeLimitSeconds = '9';
    },
    says: ['Parameters.InvocationTimeLimitSeconds is "9"; write a whole number from "1" to "8"'],
  },
  {
    rule: 'a transfer timeout above 600 seconds',
    about: 'transfer-to-static-fallback',
    edit: (f) => {
      actionIn(f, 'transfer-to-static-fallback').Parameters.ThirdPartyConnectionTimeLimitSeconds =
        '601';
    },
    says: ['ThirdPartyConnectionTimeLimitSeconds is "601"; write a whole number from "0" to "600"'],
  },
  {
    rule: 'a CDK token with text before it',
    about: 'lookup-route',
    edit: (f) => {
      actionIn(f, 'lookup-route').Parameters.LambdaFunctionARN = `junk${braced('Token[TOKEN.1]')}`;
    },
    says: [
      `Parameters.LambdaFunctionARN is "junk${braced('Token[TOKEN.1]')}"; write a Lambda function ARN`,
    ],
  },
  {
    rule: 'a CDK token with text after it',
    about: 'transfer-to-static-fallback',
    edit: (f) => {
      actionIn(f, 'transfer-to-static-fallback').Parameters.ThirdPartyPhoneNumber =
        `${braced('Token[TOKEN.7]')}0`;
    },
    says: [`Parameters.ThirdPartyPhoneNumber is "${braced('Token[TOKEN.7]')}0"; write an E.164`],
  },
  {
    // A loose key pattern would run on to the last `]}`; a token key never holds `}`, `$` or `{`.
    rule: 'two CDK tokens in one value',
    about: 'lookup-route',
    edit: (f) => {
      actionIn(f, 'lookup-route').Parameters.LambdaFunctionARN = twoTokens;
    },
    says: [`Parameters.LambdaFunctionARN is "${twoTokens}"; write a Lambda function ARN`],
  },
  {
    rule: 'a transfer to something that is no phone number',
    about: 'transfer-to-static-fallback',
    edit: (f) => {
      actionIn(f, 'transfer-to-static-fallback').Parameters.ThirdPartyPhoneNumber = '512-555-0199';
    },
    says: ['Parameters.ThirdPartyPhoneNumber is "512-555-0199"; write an E.164 number'],
  },
  {
    rule: 'a message with two prompts',
    about: 'play-apology',
    edit: (f) => {
      actionIn(f, 'play-apology').Parameters.SSML = '<speak>Sorry.</speak>';
    },
    says: [
      'Parameters has Text and SSML of Text, SSML, PromptId, Media; write exactly one of them',
    ],
  },
  {
    rule: 'a message with no prompt',
    about: 'play-apology',
    edit: (f) => {
      delete actionIn(f, 'play-apology').Parameters.Text;
    },
    says: ['Parameters has none of Text, SSML, PromptId, Media'],
  },
  {
    rule: 'a menu branch on more than one key',
    about: 'play-menu',
    edit: (f) => {
      const [first] = actionIn(f, 'play-menu').Transitions.Conditions ?? [];
      if (first) first.Condition.Operands = ['12'];
    },
    says: ['Condition.Operands[0] is "12"; write a single key'],
  },
  {
    rule: 'a menu that lets the caller time out unhandled',
    about: 'play-menu',
    edit: (f) => {
      const { Transitions } = actionIn(f, 'play-menu');
      Transitions.Errors = Transitions.Errors?.filter(
        (e) => e.ErrorType !== 'InputTimeLimitExceeded',
      );
    },
    says: [
      'lacks InputTimeLimitExceeded, which GetParticipantInput with StoreInput "False" requires',
    ],
  },
  {
    rule: 'a menu that repeats a key',
    about: 'play-menu',
    edit: (f) => {
      const [first, second] = actionIn(f, 'play-menu').Transitions.Conditions ?? [];
      if (first && second) second.Condition.Operands = [...first.Condition.Operands];
    },
    says: ['Transitions.Conditions[1] repeats the condition Equals "1", which can never match'],
  },
  {
    rule: 'conditions on an action that takes none',
    about: 'lookup-route',
    edit: (f) => {
      actionIn(f, 'lookup-route').Transitions.Conditions = [
        { NextAction: 'disconnect', Condition: { Operator: 'Equals', Operands: ['x'] } },
      ];
    },
    says: ['Transitions.Conditions: InvokeLambdaFunction takes no conditions; remove them'],
  },
  {
    rule: 'parameters on a transfer to queue',
    about: 'transfer-to-fallback-queue',
    edit: (f) => {
      actionIn(f, 'transfer-to-fallback-queue').Parameters.QueueId =
        'arn:aws:connect:us-east-1:123456789012:instance/i/queue/q';
    },
    says: ['Parameters.QueueId is not allowed here; remove it (allowed: none, write {})'],
  },
  {
    rule: 'a queue transfer without a QueueAtCapacity branch',
    about: 'transfer-to-fallback-queue',
    edit: (f) => {
      const { Transitions } = actionIn(f, 'transfer-to-fallback-queue');
      Transitions.Errors = Transitions.Errors?.filter((e) => e.ErrorType !== 'QueueAtCapacity');
    },
    says: ['Transitions.Errors lacks QueueAtCapacity, which TransferContactToQueue requires'],
  },
  {
    rule: 'an error branch the action never raises',
    about: 'enable-call-recording',
    edit: (f) => {
      actionIn(f, 'enable-call-recording').Transitions.Errors = [
        { NextAction: 'disconnect', ErrorType: 'NoMatchingError' },
      ];
    },
    says: [
      'ErrorType is "NoMatchingError", which UpdateContactRecordingBehavior does not raise; remove the branch',
    ],
  },
  {
    rule: 'a disconnect that goes on',
    about: 'disconnect',
    edit: (f) => {
      actionIn(f, 'disconnect').Transitions = { NextAction: 'play-apology' };
    },
    says: [
      'Transitions has NextAction; DisconnectParticipant ends the flow: write "Transitions": {}',
    ],
  },
  {
    rule: 'an Identifier with a forbidden character',
    about: 'play:apology',
    edit: (f) => renameAction(f, 'play-apology', 'play:apology'),
    says: ['Identifier contains ":"'],
  },
  {
    rule: 'an Identifier over 50 characters',
    about: 'x'.repeat(51),
    edit: (f) => renameAction(f, 'play-apology', 'x'.repeat(51)),
    says: ['Identifier has 51 characters; shorten it to at most 50'],
  },
  {
    rule: 'two actions with one Identifier',
    about: 'disconnect',
    edit: (f) => {
      f.Actions.push(disconnectNamed('disconnect'));
    },
    says: ['action "disconnect": Identifier is used by 2 actions'],
  },
  {
    rule: 'an unreachable action',
    about: 'goodbye',
    edit: (f) => {
      f.Actions.push(disconnectNamed('goodbye'));
      f.Metadata.ActionMetadata.goodbye = { position: { x: 0, y: 900 } };
    },
    says: [
      'action "goodbye" (DisconnectParticipant) is unreachable from StartAction "enable-flow-logging"',
    ],
  },
  {
    rule: 'an action with no way forward',
    about: 'play-apology',
    edit: (f) => {
      actionIn(f, 'play-apology').Transitions = {};
      leaveApologyAlone(f);
    },
    says: [
      'Transitions.NextAction is missing',
      'Transitions.Errors lacks NoMatchingError',
      'is a dead end: it has no way forward and the call would stop in silence',
    ],
  },
  {
    rule: 'a loop with no way out',
    about: 'play-apology',
    edit: (f) => {
      actionIn(f, 'play-apology').Transitions = {
        NextAction: 'play-apology',
        Errors: [{ NextAction: 'play-apology', ErrorType: 'NoMatchingError' }],
      };
      leaveApologyAlone(f);
    },
    says: [
      'is a dead end: no path from it reaches DisconnectParticipant or TransferContactToQueue',
    ],
  },
  brokenStaffingCheck(
    'a staffing check on a metric given dynamically',
    (check) => {
      check.Parameters.MetricType = '$.Attributes.metric';
    },
    [
      'Parameters.MetricType is "$.Attributes.metric"; write "NumberOfAgentsAvailable" or "NumberOfAgentsStaffed" or "NumberOfAgentsOnline"',
    ],
  ),
  brokenStaffingCheck(
    'a queue metric, which the flow does not use',
    (check) => {
      check.Parameters.MetricType = 'OldestContactInQueueAgeSeconds';
    },
    ['Parameters.MetricType is "OldestContactInQueueAgeSeconds"'],
  ),
  brokenStaffingCheck(
    'an agent metric compared with another operator',
    (check) => {
      const [condition] = check.Transitions.Conditions ?? [];
      if (condition) condition.Condition = { Operator: 'NumberLessThan', Operands: ['1'] };
    },
    [
      'Operator is "NumberLessThan", which CheckMetricData with MetricType "NumberOfAgentsStaffed" does not accept; write one of NumberGreaterThan',
    ],
  ),
  brokenStaffingCheck(
    'an agent metric compared with a number other than 0',
    (check) => {
      const [condition] = check.Transitions.Conditions ?? [];
      if (condition) condition.Condition = { Operator: 'NumberGreaterThan', Operands: ['1'] };
    },
    ['Transitions.Conditions[0].Condition.Operands[0] is "1"; write "0"'],
  ),
  brokenStaffingCheck(
    'an agent metric with a NoMatchingCondition branch (its "nobody" is NextAction)',
    (check) => {
      check.Transitions.Errors?.push({
        NextAction: 'mark-fallback-queue-unstaffed',
        ErrorType: 'NoMatchingCondition',
      });
    },
    ['NoMatchingCondition', 'allowed: NoMatchingError'],
  ),
  brokenStaffingCheck(
    'a staffing check without an Error branch',
    (check) => {
      check.Transitions.Errors = [];
    },
    ['Transitions.Errors lacks NoMatchingError'],
  ),
  brokenStaffingCheck(
    'a staffing check on something that is no queue',
    (check) => {
      check.Parameters.QueueId = 'Call Center';
    },
    ['Parameters.QueueId is "Call Center"', 'a queue ARN'],
  ),
];

describe('validateFlow', () => {
  it.each(broken)('fails on $rule, naming $about', ({ about, edit, says }) => {
    const problems = validateFlow(editedFlow(edit));
    expect(problems.length).toBeGreaterThan(0);
    for (const fragment of says) {
      expect(problems.filter((problem) => problem.includes(fragment))).not.toEqual([]);
    }
    const prefix = about === 'flow' ? 'flow' : `action "${about}"`;
    expect(problems.filter((problem) => !problem.startsWith(prefix))).toEqual([]);
  });

  it('fails on more than 250 actions', () => {
    const flow = editedFlow((f) => {
      for (let i = f.Actions.length; i <= 250; i += 1)
        f.Actions.push(disconnectNamed(`spare-${i}`));
    });
    expect(validateFlow(flow)).toContain(
      'flow: has 251 actions, Connect accepts at most 250; remove actions or move some into a flow module',
    );
  });

  it.each([
    ['null', null],
    ['a list', []],
    ['a flow without actions', { Version: '2019-10-30', StartAction: 'a' }],
  ])('fails on %s without throwing', (_label, input) => {
    expect(validateFlow(input).length).toBeGreaterThan(0);
  });

  it('fails on a malformed action without throwing, naming it by index', () => {
    const flow = editedFlow((f) => {
      f.Actions.push('oops' as unknown as EditableAction);
    });
    expect(validateFlow(flow)).toContain(
      `action at Actions[${flow.Actions.length - 1}] is "oops"; write an action object`,
    );
  });

  it('says when a placeholder was never substituted', () => {
    const flow = editedFlow((f) => {
      actionIn(f, 'lookup-route').Parameters.LambdaFunctionARN = braced('RouteCallFunctionArn');
    });
    expect(validateFlow(flow)).toEqual([
      `action "lookup-route" (InvokeLambdaFunction): Parameters.LambdaFunctionARN still holds the placeholder ${braced('RouteCallFunctionArn')}; substitute it (substitutePlaceholders) before validating`,
    ]);
  });

  it('lets a CDK token stand for an ARN or a number known only at deploy', () => {
    const flow = editedFlow((f) => {
      actionIn(f, 'lookup-route').Parameters.LambdaFunctionARN = braced('Token[TOKEN.123]');
      actionIn(f, 'transfer-to-static-fallback').Parameters.ThirdPartyPhoneNumber =
        braced('Token[TOKEN.7]');
      actionIn(f, 'set-fallback-queue').Parameters.QueueId = braced('Token[AWS.Queue:Arn-1_x.9]');
    });
    expect(validateFlow(flow)).toEqual([]);
  });

  it('accepts a transfer that hands the call over once its failure branches are gone', () => {
    const flow = editedFlow((f) => {
      const { Parameters, Transitions } = actionIn(f, 'transfer-to-fallback-number');
      Parameters.ContinueFlowExecution = 'False';
      Transitions.Errors = Transitions.Errors?.filter((e) => e.ErrorType === 'NoMatchingError');
    });
    expect(validateFlow(flow)).toEqual([]);
  });
});

describe('parseFlow', () => {
  it('returns the flow typed when it is valid', () => {
    expect(parseFlow(inboundFlowText()).StartAction).toBe('enable-flow-logging');
  });

  it('fails with every problem listed', () => {
    const text = JSON.stringify(editedFlow((f) => (f.Version = '1')));
    expect(() => parseFlow(text)).toThrow(InvalidFlowError);
    expect(() => parseFlow(text)).toThrow(/Version is "1"/);
  });
});

describe('placeholders', () => {
  const template = JSON.stringify({
    a: braced('FunctionArn'),
    b: braced('Number'),
    c: '$.Attributes.x',
    d: braced('FunctionArn'),
  });

  it('lists each placeholder once, in order, ignoring JSONPaths and CDK tokens', () => {
    expect(findPlaceholders(`${template} "\${Token[TOKEN.12]}"`)).toEqual([
      'FunctionArn',
      'Number',
    ]);
  });

  it('substitutes every occurrence', () => {
    const text = substitutePlaceholders(template, { FunctionArn: 'arn:x', Number: '+15125550100' });
    expect(JSON.parse(text)).toEqual({
      a: 'arn:x',
      b: '+15125550100',
      c: '$.Attributes.x',
      d: 'arn:x',
    });
  });

  it('writes values as JSON string content', () => {
    const value = 'say "hi" \\ then\nstop $& $1';
    const text = substitutePlaceholders(template, { FunctionArn: value, Number: '1' });
    expect(JSON.parse(text).a).toBe(value);
  });

  it('leaves CDK tokens in values untouched and never rescans inserted values', () => {
    const values = { FunctionArn: braced('Token[TOKEN.123]'), Number: braced('FunctionArn') };
    expect(JSON.parse(substitutePlaceholders(template, values))).toMatchObject({
      a: braced('Token[TOKEN.123]'),
      b: braced('FunctionArn'),
    });
  });

  it('fails on a placeholder without a value', () => {
    expect(() => substitutePlaceholders(template, { FunctionArn: 'arn:x' })).toThrow(
      `no value for placeholder ${braced('Number')}`,
    );
  });

  it('fails on a value that no placeholder uses', () => {
    expect(() =>
      substitutePlaceholders(template, { FunctionArn: 'arn:x', Number: '1', Nmuber: '2' }),
    ).toThrow('no placeholder uses the value of Nmuber');
  });
});

describe('UpdateContactRecordingAndAnalyticsBehavior', () => {
  /** The shipped flow with enable-call-recording written as the newer block. */
  const withNewerBlock = (voiceBehavior: Record<string, unknown>) =>
    editedFlow((f) => {
      const action = actionIn(f, 'enable-call-recording');
      action.Type = 'UpdateContactRecordingAndAnalyticsBehavior';
      action.Parameters = { VoiceBehavior: voiceBehavior };
    });

  it('accepts the recording under VoiceBehavior, with or without analytics', () => {
    const recording = {
      RecordedParticipants: ['Agent', 'Customer'],
      IVRRecordingBehavior: 'Enabled',
    };
    expect(validateFlow(withNewerBlock({ VoiceRecordingBehavior: recording }))).toEqual([]);
    expect(
      validateFlow(
        withNewerBlock({
          VoiceRecordingBehavior: recording,
          VoiceAnalyticsBehavior: { Enabled: 'True', Language: 'en-US' },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a missing VoiceRecordingBehavior, an unknown key and a wrong participant', () => {
    const missing = validateFlow(withNewerBlock({}));
    expect(missing.join('\n')).toMatch(/enable-call-recording.*VoiceRecordingBehavior/);
    const unknown = validateFlow(
      withNewerBlock({
        VoiceRecordingBehavior: { RecordedParticipants: ['Agent'], Screen: 'Enabled' },
      }),
    );
    expect(unknown.join('\n')).toMatch(/enable-call-recording.*Screen/);
    const participant = validateFlow(
      withNewerBlock({ VoiceRecordingBehavior: { RecordedParticipants: ['Caller'] } }),
    );
    expect(participant.join('\n')).toMatch(/enable-call-recording.*Caller/);
  });

  it('refuses the old RecordingBehavior parameter and an error branch', () => {
    const flow = editedFlow((f) => {
      const action = actionIn(f, 'enable-call-recording');
      action.Type = 'UpdateContactRecordingAndAnalyticsBehavior';
      action.Transitions.Errors = [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }];
    });
    const problems = validateFlow(flow).join('\n');
    expect(problems).toMatch(/enable-call-recording.*RecordingBehavior/);
    expect(problems).toContain(
      'UpdateContactRecordingAndAnalyticsBehavior does not raise; remove the branch',
    );
  });
});

describe('identifiers and digits', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'])(
    'refuses the reserved identifier %s',
    (name) => {
      const flow = editedFlow((f) => renameAction(f, 'play-apology', name));
      expect(validateFlow(flow).join('\n')).toContain(
        `Identifier "${name}" is a reserved JavaScript property name`,
      );
    },
  );

  it.each([
    ['1234,,#', true],
    ['*9'.repeat(25), true],
    [`${'*9'.repeat(25)}1`, false],
    ['12a', false],
    ['1 2', false],
  ])('ThirdPartyDTMFDigits "%s" accepted: %s', (digits, accepted) => {
    const flow = editedFlow((f) => {
      actionIn(f, 'ring-location').Parameters.ThirdPartyDTMFDigits = digits;
    });
    const problems = validateFlow(flow);
    if (accepted) expect(problems).toEqual([]);
    else expect(problems.join('\n')).toMatch(/ring-location.*ThirdPartyDTMFDigits.*at most 50/);
  });
});
