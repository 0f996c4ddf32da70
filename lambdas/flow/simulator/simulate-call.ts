import { ACTION_SPECS, type FlowAction, type FlowDocument } from '../language/index.js';
import { checkCall } from './check-call.js';
import { checkFlow } from './check-flow.js';
import { SimulatedContact, type SimulateOptions } from './simulated-contact.js';
import type { SimulatedCall, SimulatedWorld, SimulationResult } from './types.js';

/**
 * Runs one simulated call through a Flow Language flow: a test instrument, strict about what it does
 * not model. It validates the flow first (validateFlow), refuses action types it does not know,
 * then executes from StartAction one action at a time against a simulated clock.
 *
 * The simulated clock (all durations in SIMULATED_TIME):
 * - a Text/SSML prompt lasts 1 s per 15 characters (at least 1 s, SSML tags not counted); a
 *   PromptId or Media prompt, whose audio the simulator cannot hear, 5 s;
 * - a menu (GetParticipantInput) plays its prompt, then the caller presses a key after 1 s, or
 *   presses nothing and the block waits its InputTimeLimitSeconds;
 * - a Lambda takes the wall-clock time the world took to answer (or the `elapsedMs` the world
 *   reports), capped at InvocationTimeLimitSeconds; past it the block takes its Error branch;
 * - a transfer that is answered rings 5 s (at most its time limit), then the two talk for 60 s until
 *   the third party hangs up; one not answered rings its whole ThirdPartyConnectionTimeLimitSeconds;
 *   a busy line takes 3 s, a failed call 1 s;
 * - a call handed to a queue: see the agents below; with agents busy or none and a CustomerQueue
 *   event hook (UpdateContactEventHooks) naming a flow `world.flow` gives, that customer queue flow
 *   runs on the same clock (its trace steps carry `flow`: its ARN) until the call ends; without
 *   either the caller waits to the bound and hangs up (`queued`);
 * - a prompt loop (MessageParticipantIteratively, queue flows only) plays its messages in turn
 *   until its InterruptFrequencySeconds has passed (the MessagesInterrupted condition), or until
 *   the caller has waited SIMULATED_TIME.maxQueueWaitSeconds in the queue and hangs up;
 * - Loop says ContinueLooping LoopCount times, then DoneLooping once, then starts over, counted per
 *   action Identifier (a LoopCount that resolves to no whole number 0-100 stops the simulation);
 * - the caller's choices in a queue flow (`call.inQueue`, default wait): a menu there is the offer,
 *   where the caller presses 1 (callback), 2 (message), nothing (wait: the menu times out), or
 *   hangs up once its prompt has played (hang-up);
 * - a menu reached while the customer's audio is streamed (UpdateContactMediaStreamingBehavior
 *   Enabled) is the voicemail tone: with `call.voicemail` leave (the default) the caller speaks
 *   SIMULATED_TIME.voicemailMessageSeconds, then hangs up (CUSTOMER_DISCONNECT, the call ends);
 *   with hang-up they hang up at the tone, 0 s of audio. The stream's `$.MediaStreams.Customer.
 *   Audio.StreamARN|StartFragmentNumber|StartTimestamp` are simulated values;
 * - every other action takes no time.
 *
 * How the call ends (`outcome`): a message left is `voicemail`, else a callback created
 * (CreateCallbackContact, the number UpdateContactCallbackNumber set or the caller's) is
 * `callback`; a queue without a queue flow is `queued`; a caller who hung up (at the offer, the
 * tone, the queue's bound in a queue flow) is `hung-up`. Otherwise the last party reached wins. An answered transfer makes it
 * `transferred` (endpoint: that number) and a later answered transfer replaces it; a hand-over to a
 * queue ends the flow, so it is always last (`queued`, endpoint: the queue ARN). If nobody was
 * reached, a DisconnectParticipant right after a prompt (only silent actions in between) is
 * `message-disconnect`; any other end is `disconnected`, a caller left in silence.
 *
 * Semantics assumed where the reference is silent (each is one decision, in one place):
 * - references resolve strictly, except Compare's ComparisonValue: an attribute never set (or a key
 *   the last Lambda did not return) matches no condition, as in Connect; prompt Text and SSML read
 *   references in place ("Thanks for calling $.Attributes.locationName");
 * - a failed Lambda (error, timeout, an answer that fails ResponseValidation) leaves no `$.External`,
 *   so a later reference to it stops the simulation instead of reading a stale answer;
 * - recording is `recording` from an UpdateContactRecordingBehavior (or the newer
 *   UpdateContactRecordingAndAnalyticsBehavior's VoiceRecordingBehavior) with any participant or IVR
 *   recording, `off` from one without; a successful Lambda call suspends, resumes or stops it
 *   only when the world's answer says so (`LambdaOutcome.recording`, e.g. a Connect stand-in that
 *   saw SuspendContactRecording), never from the function's name or parameters; a suspension
 *   outlives turning the behaviour off and on again, a stop (`off`) lasts until a block enables
 *   recording again;
 * - a transfer to a value that is not an E.164 number, or with a time limit that is not 0-600 s,
 *   takes NoMatchingError; with ContinueFlowExecution "False" every failure takes NoMatchingError;
 * - UpdateContactTargetQueue with a value that is not a queue ARN, TransferContactToQueue without a
 *   target queue, and UpdateContactAttributes on the Related contact take NoMatchingError;
 * - DisconnectReason: CUSTOMER_DISCONNECT after a queue, THIRD_PARTY_DISCONNECT when the flow ends
 *   with a transfer or hangs up right after the third party did, else CONTACT_FLOW_DISCONNECT (a
 *   guess: the reference does not say which party Connect records in these cases);
 * - an empty string anywhere in a STRING_MAP Lambda answer fails response validation and takes the
 *   Error branch (a guess from the rule that flows reject empty strings; reference §2.1);
 * - an UpdateContactAttributes whose value resolves to an empty string takes NoMatchingError
 *   (a guess: the reference only says empty strings are rejected in the flow itself);
 * - InvocationType absent is SYNCHRONOUS; PreviousContactId is the contact's own id, in the event
 *   and the contact record alike;
 * - agents are the world's answer per queue (available, busy, none): CheckMetricData's agent metrics
 *   count them (Online and Staffed alike: the simulator knows no non-productive status), and a
 *   queued call is answered by a free agent (no queue flow step runs before), else runs the
 *   customer queue flow, if any;
 * - a customer queue flow refuses (FlowSimulationError, when loaded) what Connect does not run
 *   there: UpdateContactEventHooks, UpdateContactTargetQueue, TransferParticipantToThirdParty
 *   (NOT_IN_FLOW_TYPE); a TransferContactToQueue reached in it stops the simulation (not
 *   modelled); the call's own flow refuses MessageParticipantIteratively;
 * - CreateCallbackContact has only NoMatchingError (the reference lists none of its own); its
 *   callback contact is recorded, not simulated; UpdateContactCallbackNumber with a value that is
 *   not E.164 takes InvalidCallbackNumber, one `world.dialable` refuses CallbackNumberNotDialable.
 *
 * Not modelled: caller hang-ups during the flow other than those above, Connect's retries of a
 * failing Lambda (a failure is final), agents' users and routing profiles, an agent coming free
 * while the customer queue flow runs, the callback contact itself. Refused up front by checkFlow, all listed together with the identifiers using
 * each, even in a part of the flow no call reaches: action types it does not support,
 * GetParticipantInput with StoreInput "True", the undocumented operator KeyExists, and references
 * to contact data it does not model (e.g. `$.Lex.IntentName`, `$.Queue.OutboundCallerId.Address`;
 * see json-path.ts). Refused when reached: CheckHoursOfOperation without `world.isOpen`,
 * CheckMetricData without `world.agents`.
 *
 * Where it lives: the contact and the run loop in simulated-contact.ts, each action's behaviour in
 * actions/ (one handler per type in ACTION_HANDLERS), the refusals in check-flow.ts and check-call.ts.
 */

/**
 * Simulates one call through `flow` (see the top of this file for the model). Throws a
 * FlowSimulationError for a flow it refuses (naming the problems and the actions), for a reference
 * that cannot be resolved, and when the step limit stops a loop.
 */
export const simulateCall = async (
  flow: unknown,
  call: SimulatedCall,
  world: SimulatedWorld,
  options: SimulateOptions = {},
): Promise<SimulationResult> => {
  return simulateCheckedCall(checkFlow(flow), call, world, options);
};

/** simulateCall for a flow checkFlow has already accepted (enumerateCalls runs one flow often). */
export const simulateCheckedCall = async (
  flow: FlowDocument,
  call: SimulatedCall,
  world: SimulatedWorld,
  options: SimulateOptions = {},
): Promise<SimulationResult> => {
  checkCall(call);
  return new SimulatedContact(flow, call, world, options).run();
};

/** Whether success of `action` hands the call over and ends the flow (its NextAction unused). */
export const handsOver = (action: FlowAction): boolean =>
  ACTION_SPECS[action.Type].transitions(action.Parameters).successEndsFlow;
