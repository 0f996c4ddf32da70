import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm run preflight` as the npm script runs it, as a process: a usage error is exit code 2 and a
 * message on stderr, before any AWS credentials are looked for. (What it checks is tested
 * in-process in test/unit/preflight-cli.test.ts.)
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('scripts/preflight.ts', () => {
  it('exits 2 on a bad instance ARN, saying what is wrong, with no AWS call', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/preflight.ts', '--instance-arn', 'instance/abc'],
          {
            cwd: ROOT,
            // No credentials and no region: a usage error must not need either.
            env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' },
            timeout: 20_000,
            killSignal: 'SIGKILL',
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      },
    );

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^preflight: --instance-arn instance\/abc is not a Connect instance ARN/,
    );
    expect(run.stderr).toContain('Usage: npm run preflight');
  });
});
