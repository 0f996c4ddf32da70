import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlerEntry, LAMBDA_ESBUILD } from '../../lib/bundling.js';

/**
 * The API function as deployed: bundled with the settings every Lambda ships with. Its route
 * preview simulates calls, but in a world that needs no server and no Connect client: none of the
 * local system's machinery may reach the deployed bundle.
 */
describe('the API bundle', () => {
  let code = '';
  /** Which of `needles` the bundle contains (a list, so a failure names them, not the bundle). */
  const found = (...needles: string[]) => needles.filter((needle) => code.includes(needle));

  beforeAll(async () => {
    const result = await build({
      ...LAMBDA_ESBUILD,
      entryPoints: [handlerEntry('api.ts')],
      outfile: 'api.mjs',
      write: false,
    });
    code = result.outputFiles[0]?.text ?? '';
  }, 60_000);

  it('is built, with the route preview in it', () => {
    expect(found('route-preview-', 'ring-to does not answer')).toHaveLength(2);
  });

  it('opens no server and names no loopback address (no local test server)', () => {
    expect(found('createServer', '127.0.0.1')).toEqual([]);
  });

  it('holds no Amazon Connect client (recording-control runs over a stand-in port)', () => {
    expect(
      found('SuspendContactRecordingCommand', 'ResumeContactRecordingCommand', 'https://connect.{'),
    ).toEqual([]);
  });
});
