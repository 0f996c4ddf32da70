import { portfolioLoops } from './loops.js';
import { type Portfolio, portfolioSchema } from './schema.js';

/** A portfolio that cannot be deployed; the message lists every problem, one per line. */
export class PortfolioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the portfolio\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'PortfolioError';
  }
}

type Path = readonly PropertyKey[];

/** Names an entry the way a person reads the file: `locations[1] (austin-north).ringTo`. */
export const describePath = (raw: unknown, path: Path): string => {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    if (typeof key === 'number') {
      node = Array.isArray(node) ? node[key] : undefined;
      // Agents have no id: their user name names them.
      const entry = node && typeof node === 'object' ? (node as Record<string, unknown>) : {};
      const entryId = String(entry.id ?? entry.username ?? '');
      out += `[${key}]${entryId ? ` (${entryId})` : ''}`;
    } else {
      node =
        node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
      out += `${out ? '.' : ''}${String(key)}`;
    }
  }
  return out || '(top level)';
};

const duplicates = <T>(items: readonly T[], keyOf: (item: T) => string | undefined) => {
  const seen = new Map<string, number>();
  const found: { key: string; first: number; again: number }[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else found.push({ key, first, again: index });
  });
  return found;
};

/** Rules that span entries: unique ids and numbers, references that resolve, no loops. */
const crossEntryProblems = (portfolio: Portfolio): string[] => {
  const problems: string[] = [];
  const locationIds = new Set(portfolio.locations.map((l) => l.id));
  const queueIds = new Set(portfolio.queues.map((q) => q.id));
  const knownQueues = [...queueIds].join(', ') || 'none declared';

  for (const [list, entries] of [
    ['locations', portfolio.locations],
    ['trackingNumbers', portfolio.trackingNumbers],
    ['queues', portfolio.queues],
  ] as const) {
    for (const d of duplicates<{ id: string }>(entries, (e) => e.id)) {
      problems.push(
        `${list}[${d.again}] (${d.key}).id repeats ${list}[${d.first}]: give every entry its own id`,
      );
    }
  }
  for (const d of duplicates(portfolio.trackingNumbers, (t) => t.number)) {
    problems.push(
      `trackingNumbers[${d.again}].number ${d.key} is already trackingNumbers[${d.first}]: a number can belong to only one location and source; remove one`,
    );
  }
  portfolio.trackingNumbers.forEach((t, i) => {
    if (!locationIds.has(t.location)) {
      problems.push(
        `trackingNumbers[${i}] (${t.id}).location "${t.location}" is not a location in this file: use one of ${[...locationIds].join(', ')}`,
      );
    }
  });
  portfolio.locations.forEach((l, i) => {
    const refs: [field: string, queue: string][] = [];
    if (l.fallback.type === 'queue') refs.push(['fallback.queue', l.fallback.queue]);
    if (l.menu?.payments.type === 'queue')
      refs.push(['menu.payments.queue', l.menu.payments.queue]);
    for (const [field, queue] of refs) {
      if (!queueIds.has(queue)) {
        problems.push(
          `locations[${i}] (${l.id}).${field} "${queue}" is not a queue in this file: declare it under "queues" (known: ${knownQueues})`,
        );
      }
    }
  });
  problems.push(...callCenterProblems(portfolio, queueIds, knownQueues));
  problems.push(...portfolioLoops(portfolio));
  return problems;
};

/** Routing profiles name declared queues once each; agents name a declared routing profile. */
const callCenterProblems = (
  portfolio: Portfolio,
  queueIds: ReadonlySet<string>,
  knownQueues: string,
): string[] => {
  const problems: string[] = [];
  const profileIds = new Set(portfolio.routingProfiles.map((p) => p.id));
  for (const d of duplicates(portfolio.routingProfiles, (p) => p.id)) {
    problems.push(
      `routingProfiles[${d.again}] (${d.key}).id repeats routingProfiles[${d.first}]: give every entry its own id`,
    );
  }
  portfolio.routingProfiles.forEach((profile, i) => {
    const at = `routingProfiles[${i}] (${profile.id})`;
    profile.queues.forEach((entry, j) => {
      if (!queueIds.has(entry.queue)) {
        problems.push(
          `${at}.queues[${j}].queue "${entry.queue}" is not a queue in this file: declare it under "queues" (known: ${knownQueues})`,
        );
      }
    });
    for (const d of duplicates(profile.queues, (q) => q.queue)) {
      problems.push(
        `${at}.queues[${d.again}].queue "${d.key}" repeats queues[${d.first}]: a routing profile lists a queue once`,
      );
    }
    if (profile.outboundQueue !== undefined && !queueIds.has(profile.outboundQueue)) {
      problems.push(
        `${at}.outboundQueue "${profile.outboundQueue}" is not a queue in this file: declare it under "queues" (known: ${knownQueues})`,
      );
    }
  });
  for (const d of duplicates(portfolio.agents, (a) => a.username.toLowerCase())) {
    problems.push(
      `agents[${d.again}] (${d.key}).username repeats agents[${d.first}]: Connect keeps one user per name`,
    );
  }
  portfolio.agents.forEach((agent, i) => {
    if (!profileIds.has(agent.routingProfile)) {
      problems.push(
        `agents[${i}] (${agent.username}).routingProfile "${agent.routingProfile}" is not a routing profile in this file: declare it under "routingProfiles" (known: ${[...profileIds].join(', ') || 'none declared'})`,
      );
    }
  });
  return problems;
};

/**
 * Validates a parsed portfolio file. `source` names the file in every message, so an error printed
 * by `cdk synth` says which file and entry to fix. Throws {@link PortfolioError}.
 */
export const parsePortfolio = (raw: unknown, source: string): Portfolio => {
  const parsed = portfolioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PortfolioError(
      source,
      parsed.error.issues.map((issue) => `${describePath(raw, issue.path)} ${issue.message}`),
    );
  }
  const problems = crossEntryProblems(parsed.data);
  if (problems.length > 0) throw new PortfolioError(source, problems);
  return parsed.data;
};
