import { build } from 'esbuild';

const { LAMBDA_ESBUILD } = await import('/work/main/lib/bundling.ts');
const f = process.argv[2];
const r = await build({
  ...LAMBDA_ESBUILD,
  entryPoints: [`/work/main/lambdas/handlers/${f}.ts`],
  write: false,
  outfile: `/tmp/x/${f}.mjs`,
  metafile: true,
  logLevel: 'silent',
});
const out = Object.values(r.metafile.outputs)[0];
const groups = new Map();
for (const [p, v] of Object.entries(out.inputs)) {
  const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  const k = m ? m[1] : p.split('/').slice(0, 2).join('/');
  groups.set(k, (groups.get(k) ?? 0) + v.bytesInOutput);
}
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log((v / 1024).toFixed(1).padStart(8), k);
