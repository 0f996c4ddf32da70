import { isE164 } from '../../../domain/phone-number.js';
import type { ErrorType } from '../../language/index.js';
import { error, NEXT, type StepResult } from '../branches.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';
import type { ActionHandler } from './action-handler.js';

/**
 * TransferParticipantToThirdParty: rings the number and, as the world says the party answers,
 * talks, or takes an error branch; with ContinueFlowExecution "True" the flow goes on afterwards.
 */
export const transferToThirdParty: ActionHandler = (contact, action, parameters) => {
  const continues = parameters.ContinueFlowExecution === 'True';
  // With ContinueFlowExecution "False" the block has only the catch-all error branch.
  const failure = (errorType: ErrorType, note: string): StepResult =>
    error(continues ? errorType : 'NoMatchingError', note);
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: Connect could not place the call');
  }
  const number = String(parameters.ThirdPartyPhoneNumber);
  const limitText = String(parameters.ThirdPartyConnectionTimeLimitSeconds);
  if (!isE164(number)) {
    return error('NoMatchingError', `"${number}" is not an E.164 phone number`);
  }
  if (!/^\d+$/.test(limitText) || Number(limitText) > 600) {
    return error('NoMatchingError', `time limit "${limitText}" is not 0-600 seconds`);
  }
  const limit = Number(limitText);
  contact.lastEvent = 'ring';
  const behaviour = contact.world.thirdParty(number, limit);
  switch (behaviour) {
    case 'answer': {
      const answeredMs =
        contact.clockMs + Math.min(SIMULATED_TIME.ringBeforeAnswerSeconds, limit) * 1000;
      const hungUpMs = answeredMs + SIMULATED_TIME.talkSeconds * 1000;
      contact.transfers.push({
        number,
        by: action.Identifier,
        atSeconds: seconds(answeredMs),
        endedSeconds: seconds(hungUpMs),
      });
      contact.reached = 'transferred';
      const answered = `${number} answered and talked ${SIMULATED_TIME.talkSeconds} s`;
      if (!continues) {
        return {
          branch: { kind: 'end', reason: 'THIRD_PARTY_DISCONNECT', endsAtMs: hungUpMs },
          note: `${answered}; the flow ends with the transfer`,
        };
      }
      contact.clockMs = hungUpMs;
      contact.lastEvent = 'third-party-hung-up';
      return { ...NEXT, note: `${answered}, then hung up; the flow continues` };
    }
    case 'no-answer':
      contact.clockMs += limit * 1000;
      return failure('ConnectionTimeLimitExceeded', `${number} did not answer within ${limit} s`);
    case 'busy':
      contact.clockMs += SIMULATED_TIME.busySeconds * 1000;
      return failure('CallFailed', `${number} is busy`);
    case 'fail':
      contact.clockMs += SIMULATED_TIME.failedCallSeconds * 1000;
      return failure('CallFailed', `the call to ${number} failed`);
    default:
      throw contact.fail(`world.thirdParty gave ${JSON.stringify(behaviour)}`);
  }
};
