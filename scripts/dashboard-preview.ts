/**
 * `npx tsx scripts/dashboard-preview.ts [--port N]`: the dashboard against the STAND-IN API of
 * test/support/fake-api.ts (fixed data, in memory), to look at and work on the dashboard before the
 * real local system serves it. Prints the address to open, token included. Not `npm start`.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { buildDashboard, serveDashboard } from '../lib/local/dashboard.js';
import { createFakeApi, FAKE_TOKEN } from '../test/support/fake-api.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port: a port number, 0 for any free one (got ${values.port})`);
  process.exit(2);
}

const { files } = await buildDashboard();
const dashboard = serveDashboard(files);
const api = createFakeApi();
const server = createServer((req, res) => {
  if (!dashboard(req, res)) api.handle(req, res);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log('Dashboard preview against the stand-in API (fixed data, not the real system):');
  console.log(`  http://127.0.0.1:${actual}/#token=${FAKE_TOKEN}`);
  console.log('Ctrl-C stops it.');
});
