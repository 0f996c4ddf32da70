import { isE164 } from '../../domain/phone-number.js';
import { FlowSimulationError, type SimulatedCall } from './types.js';

/** Refuses a call the simulator cannot place, naming every problem at once. */
export const checkCall = (call: SimulatedCall): void => {
  const problems = [
    ...(typeof call.dialed === 'string' && isE164(call.dialed)
      ? []
      : [
          `call.dialed is ${JSON.stringify(call.dialed)}; give the dialed number in E.164 (+15125550100)`,
        ]),
    ...(typeof call.caller === 'string' && isE164(call.caller)
      ? []
      : [
          `call.caller is ${JSON.stringify(call.caller)}; give the caller number in E.164 (+15125550100)`,
        ]),
    ...(call.at instanceof Date && !Number.isNaN(call.at.getTime())
      ? []
      : ['call.at is not a valid date']),
    ...(call.digits === undefined || /^[0-9*#]*$/.test(call.digits)
      ? []
      : [`call.digits is "${call.digits}"; write keys 0-9, * and # only`]),
  ];
  if (problems.length > 0) throw new FlowSimulationError(problems.join('; '), problems);
};
