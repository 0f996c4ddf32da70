import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (scripts/start.ts) as a user runs it: a child process on a data directory of its own,
 * its printed URL and tokens, the API over HTTP, `npm run call` logging into it, and its refusals.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = ['--import', 'tsx'];
const env = { ...process.env, NODE_NO_WARNINGS: '1' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const run = (script: string, args: readonly string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TSX, script, ...args],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        });
      },
    );
  });

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly admin: string;
  readonly read: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `npm start` and resolves once it prints its addresses. */
const start = (args: readonly string[]): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX, 'scripts/start.ts', ...args], {
      cwd: ROOT,
      env,
    });
    let out = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /API {9}(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const admin = /admin (\S+)/.exec(out)?.[1];
      const read = /read-only (\S+)/.exec(out)?.[1];
      if (url && admin && read && out.includes('Ctrl-C stops it')) {
        resolve({ child, url, admin, read, output: () => out, exited });
      }
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    exited.then((code) =>
      reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`)),
    );
  });

let data: string;
let system: Started;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'start-cli-'));
  system = await start(['--port', '0', '--data', data]);
}, 90_000);

afterAll(async () => {
  if (system && system.child.exitCode === null) system.child.kill('SIGKILL');
  await rm(data, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints the dashboard link, the API, both tokens and three things to try', () => {
    const out = system.output();
    expect(out).toContain(`Dashboard   ${system.url}/#token=${system.admin}`);
    expect(out).toMatch(
      /Three things to try next:\n {2}1\. .*\n {2}2\. .*\n +npm run call -- --to \+1\d+ .*\n {2}3\. /,
    );
    expect(out).toContain(
      `curl -H 'Authorization: Bearer ${system.read}' '${system.url}/calls?limit=5'`,
    );
    expect(existsSync(join(data, 'running.json'))).toBe(true);
  });

  it('keeps its stores behind the credentials in running.json (0600)', async () => {
    const file = join(data, 'running.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const running = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(running)).toEqual(
      expect.arrayContaining(['dynamodbEndpoint', 's3Endpoint', 'accessKeyId', 'secretAccessKey']),
    );
    // Unsigned, a page's preflight: refused by both.
    for (const endpoint of [running.dynamodbEndpoint, running.s3Endpoint]) {
      expect((await fetch(`${endpoint}/`)).status).toBe(403);
      const preflight = await fetch(`${endpoint}/`, {
        method: 'OPTIONS',
        headers: { origin: 'http://example.com', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('serves the API to the token only, and the dashboard page to anyone', async () => {
    expect((await fetch(`${system.url}/calls`)).status).toBe(401);
    expect(
      (await fetch(`${system.url}/calls`, { headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    const calls = await fetch(`${system.url}/calls`, {
      headers: { authorization: `Bearer ${system.read}` },
    });
    expect(calls.status).toBe(200);
    const locations = await fetch(`${system.url}/locations`, {
      headers: { authorization: `Bearer ${system.read}` },
    });
    expect(((await locations.json()) as { items: unknown[] }).items).toHaveLength(3);
    const page = await fetch(`${system.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<!doctype html>');
  });

  it('logs a call placed with npm run call: it is in GET /calls with its recording', async () => {
    const call = await run('scripts/call.ts', [
      '--to',
      '+15125550151',
      '--from',
      '+17375550123',
      '--at',
      '2026-11-23T10:00:00-06:00',
      '--data',
      data,
      '--json',
    ]);
    expect(call.code).toBe(0);
    const report = JSON.parse(call.stdout) as { logged: { contactId: string; url: string } };
    expect(report.logged.url).toBe(`${system.url}/calls/${report.logged.contactId}`);
    const detail = await fetch(report.logged.url, {
      headers: { authorization: `Bearer ${system.read}` },
    });
    const body = (await detail.json()) as {
      caller: string;
      outcome: string;
      recordings: { url: string }[];
    };
    expect(body).toMatchObject({ caller: '+17375550123', outcome: 'answered-location' });
    const recording = await fetch(body.recordings[0]?.url ?? '');
    expect(
      Buffer.from(await recording.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
  }, 60_000);

  it('refuses to start twice on the same data, and on a busy port, saying why', async () => {
    const twice = await run('scripts/start.ts', ['--port', '0', '--data', data]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already running \(pid \d+/);
    const other = await mkdtemp(join(tmpdir(), 'start-cli-'));
    const port = new URL(system.url).port;
    const busy = await run('scripts/start.ts', ['--port', port, '--data', other]);
    await rm(other, { recursive: true, force: true });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  }, 120_000);

  it('stops cleanly on Ctrl-C: exit 0, its running record gone', async () => {
    system.child.kill('SIGINT');
    expect(await system.exited).toBe(0);
    expect(existsSync(join(data, 'running.json'))).toBe(false);
  }, 30_000);

  it('starts again on its own data with --reset: the calls and the caller-hash key are new', async () => {
    const keyFile = join(data, 'caller-hash.key');
    const key = await readFile(keyFile, 'utf8');
    const again = await start(['--port', '0', '--data', data, '--reset']);
    try {
      const calls = await fetch(`${again.url}/calls`, {
        headers: { authorization: `Bearer ${again.read}` },
      });
      expect(((await calls.json()) as { items: unknown[] }).items).toEqual([]);
      expect(await readFile(keyFile, 'utf8')).not.toBe(key);
    } finally {
      again.child.kill('SIGINT');
      await again.exited;
    }
  }, 90_000);
});

describe('npm start refusals', () => {
  it('refuses a portfolio with a loop, naming the entry, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'start-cli-'));
    const portfolio = join(dir, 'loop.yaml');
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(join(ROOT, 'config/portfolio.yaml'), 'utf8');
    // austin-north's ring-to becomes its own Google Ads tracking number.
    await writeFile(portfolio, text.replace('ringTo: "+15125550101"', 'ringTo: "+15125550151"'));
    const result = await run('scripts/start.ts', [
      '--port',
      '0',
      '--data',
      dir,
      '--portfolio',
      portfolio,
    ]);
    await rm(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/locations\[0\] \(austin-north\)\.ringTo is \+15125550151/);
  }, 60_000);

  it('refuses to --reset a directory that holds more than its data, and wipes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'start-cli-'));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const result = await run('scripts/start.ts', ['--port', '0', '--data', dir, '--reset']);
    const kept = existsSync(join(dir, 'notes.txt'));
    await rm(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--reset refuses to wipe .*: it holds notes\.txt/);
    expect(kept).toBe(true);
  }, 60_000);

  it('refuses a bad port with exit 2 and the usage', async () => {
    const result = await run('scripts/start.ts', ['--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port eighty is not a port number');
  }, 60_000);
});
