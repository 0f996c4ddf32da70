import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** A file the dashboard serves: its bytes and content type. */
export interface DashboardFile {
  readonly body: Buffer | string;
  readonly type: string;
}

export interface Dashboard {
  /** By URL path: `/` (index.html), `/dashboard/app.js`, `/dashboard/app.css`. */
  readonly files: Map<string, DashboardFile>;
}

/** The dashboard's sources: `dashboard/` at the repository root. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

/** Where the assets live: a prefix no API route uses, so dashboard and API share one origin. */
export const ASSET_PREFIX = '/dashboard/';

/**
 * Bundles the dashboard (plain TypeScript, uPlot and its CSS) with esbuild, in memory: minified,
 * es2022, for the browser, no source map. The page and its two assets are all there is.
 */
export const buildDashboard = async (dir: string = DASHBOARD_DIR): Promise<Dashboard> => {
  const result = await build({
    entryPoints: { app: `${dir}src/main.ts` },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outdir: '/dashboard-out',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = new Map<string, DashboardFile>();
  files.set('/', {
    body: await readFile(`${dir}index.html`, 'utf8'),
    type: 'text/html; charset=utf-8',
  });
  for (const out of result.outputFiles) {
    const name = out.path.slice(out.path.lastIndexOf('/') + 1);
    const type = name.endsWith('.js')
      ? 'text/javascript; charset=utf-8'
      : name.endsWith('.css')
        ? 'text/css; charset=utf-8'
        : 'application/octet-stream';
    files.set(`${ASSET_PREFIX}${name}`, { body: Buffer.from(out.contents), type });
  }
  for (const needed of ['/dashboard/app.js', '/dashboard/app.css']) {
    if (!files.has(needed)) throw new Error(`The dashboard build made no ${needed}`);
  }
  return { files };
};

export interface ServeOptions {
  /**
   * Origins the `<audio>` player may load recordings from (presigned S3 URLs), e.g.
   * `https://bucket.s3.us-east-1.amazonaws.com` or a local S3's `http://127.0.0.1:4569`. The
   * default allows any https origin and loopback.
   */
  readonly mediaSources?: readonly string[];
}

const DEFAULT_MEDIA_SOURCES = ['https:', 'http://127.0.0.1:*', 'http://localhost:*'];

/** The Content-Security-Policy of every dashboard response: nothing inline, nothing foreign. */
export const contentSecurityPolicy = (
  mediaSources: readonly string[] = DEFAULT_MEDIA_SOURCES,
): string =>
  [
    "default-src 'self'",
    `media-src 'self' ${mediaSources.join(' ')}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * A node:http handler for the dashboard: answers GET and HEAD of `/`, `/dashboard`, `/dashboard/`
 * (the page) and `/dashboard/<asset>`, and returns true; returns false for any other request, which
 * the caller hands to the API. The page's own address is all the dashboard takes of the origin.
 */
export const serveDashboard = (
  files: Map<string, DashboardFile>,
  options: ServeOptions = {},
): ((req: IncomingMessage, res: ServerResponse) => boolean) => {
  const csp = contentSecurityPolicy(options.mediaSources ?? DEFAULT_MEDIA_SOURCES);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const key = path === '/dashboard' || path === ASSET_PREFIX ? '/' : path;
    const file = files.get(key);
    if (!file) {
      if (!path.startsWith(ASSET_PREFIX)) return false;
      res.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(`No dashboard file ${path}\n`);
      return true;
    }
    const body = typeof file.body === 'string' ? Buffer.from(file.body) : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': String(body.length),
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
};
