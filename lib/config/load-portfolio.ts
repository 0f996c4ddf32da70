import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from 'yaml';
import { PortfolioError, parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';

/** Names the file as the user knows it: relative to the project when inside it, else as given. */
export const portfolioFileName = (path: string): string => {
  const inProject = relative(process.cwd(), path);
  return inProject && !inProject.startsWith('..') ? inProject : path;
};

/** Reads and validates a portfolio file (YAML or JSON). Throws a {@link PortfolioError}. */
export const loadPortfolio = (path: string): Portfolio => {
  const name = portfolioFileName(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PortfolioError(name, [
      `cannot read the file (${(error as Error).message}): pass an existing file with -c portfolio=<path>`,
    ]);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new PortfolioError(name, [`is not valid YAML: ${(error as Error).message}`]);
  }
  return parsePortfolio(raw, name);
};
