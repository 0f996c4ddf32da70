import type { CallDetail } from './api.js';
import { h } from './dom.js';
import { formatCost, formatDateTime, formatDuration } from './format.js';

/** The call's journey as a timeline, and where it went, from GET /calls/{id}. */

type Step = NonNullable<CallDetail['journey']>[number];
type RoutedTo = NonNullable<CallDetail['routedTo']>;

const STEP_LABELS: Readonly<Record<Step['step'], string>> = {
  started: 'Call started',
  route: 'Route looked up',
  disclosure: 'Recording disclosure played',
  menu: 'Menu offered',
  'ring-to': 'Rang the location',
  fallback: 'Fallback',
  'static-fallback': 'Static fallback',
  queued: 'Waited in queue',
  agent: 'Agent answered',
  transfer: 'Transferred',
  voicemail: 'Voicemail',
  callback: 'Callback requested',
  ended: 'Call ended',
};

const ROUTED_LABELS: Readonly<Record<RoutedTo['kind'], string>> = {
  'ring-to': 'The location',
  'fallback-number': 'The fallback number',
  queue: 'The call center',
  voicemail: 'Voicemail',
  'static-fallback': 'The static fallback',
  none: 'Nowhere',
};

const queueName = (queue: Step['queue']): string | null => queue?.name ?? queue?.arn ?? null;

/** `The call center (BasicQueue), then +18002430000`: the kind, its queue, its number. */
export const routedToText = (routed: CallDetail['routedTo']): string | undefined => {
  if (!routed) return undefined;
  const queue = queueName(routed.queue);
  const label = `${ROUTED_LABELS[routed.kind]}${queue ? ` (${queue})` : ''}`;
  if (!routed.number) return label;
  return routed.kind === 'queue' ? `${label}, then ${routed.number}` : `${label}: ${routed.number}`;
};

/** What the step says beyond its label: key, number, result, length. */
const stepDetail = (step: Step): string => {
  const parts: string[] = [];
  if (step.step === 'menu') parts.push(step.result ? `pressed ${step.result}` : 'no key pressed');
  else if (step.result && step.step !== 'ended') parts.push(step.result);
  else if (step.result) parts.push(step.result.toLowerCase().replaceAll('_', ' '));
  if (step.number) parts.push(step.number);
  const queue = queueName(step.queue);
  if (queue) parts.push(queue);
  if (step.seconds !== null) parts.push(formatDuration(step.seconds));
  return parts.join(' · ');
};

export const journeyTimeline = (call: CallDetail): HTMLElement => {
  if (!call.journey) {
    return h('p', { className: 'empty' }, 'This call was logged before journeys were recorded.');
  }
  return h(
    'ol',
    { className: 'journey', attrs: { 'aria-label': 'The call’s journey' } },
    call.journey.map((step) =>
      h(
        'li',
        { className: `journey-step journey-${step.step}` },
        h('span', { className: 'journey-time' }, step.at ? formatDateTime(step.at) : '—'),
        h('span', { className: 'journey-label' }, STEP_LABELS[step.step] ?? step.step),
        h('span', { className: 'journey-detail' }, stepDetail(step)),
      ),
    ),
  );
};

/** `$0.1297 (estimate)`, undefined without one. */
export const estimatedCostText = (call: CallDetail): string | undefined =>
  call.estimatedCost ? `${formatCost(call.estimatedCost.total)} (estimate)` : undefined;
