/**
 * The layers' dependency rules (docs/ARCHITECTURE.md), checked in `npm test` by `npm run lint:deps`.
 * A violation prints the rule's name and the offending import. Type-only imports count: a layer
 * that needs another's types depends on it.
 */
const SDK = '^(@aws-sdk|@smithy|aws-lambda|@types/aws-lambda)(/|$)';
const OUTSIDE_LAMBDAS = '^(lib|local|ops|scripts|bench|test|bin|dashboard)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'lambdas/domain imports only the domain (and libraries such as zod): no adapter, contract, flow, use case or handler.',
      severity: 'error',
      from: { path: '^lambdas/domain/' },
      to: {
        path: '^(lambdas/(?!domain/)|lib/|local/|scripts/|bench/|test/|bin/|dashboard/|contact-flows/)',
      },
    },
    {
      name: 'domain-knows-no-aws',
      comment:
        'lambdas/domain imports no AWS SDK and no Lambda event types: those belong to adapters.',
      severity: 'error',
      from: { path: '^lambdas/domain/' },
      to: { path: SDK },
    },
    {
      name: 'contracts-import-only-the-domain',
      comment:
        'lambdas/contracts (environment, tables) is shared by the constructs and the handlers.',
      severity: 'error',
      from: { path: '^lambdas/contracts/' },
      to: { path: '^(lambdas/(?!contracts/|domain/)|lib/|local/|scripts/|bench/|test/)' },
    },
    {
      name: 'flow-imports-domain-and-contracts',
      comment:
        'lambdas/flow (validator, simulator, preview world) runs at synth, in the API and locally.',
      severity: 'error',
      from: { path: '^lambdas/flow/' },
      to: { path: '^lambdas/(adapters|use-cases|handlers)/' },
    },
    {
      name: 'adapters-import-no-handler-or-use-case',
      comment:
        'An adapter talks to one service or wire format; ports it implements live in the domain.',
      severity: 'error',
      from: { path: '^lambdas/adapters/' },
      to: { path: '^lambdas/(use-cases|handlers)/' },
    },
    {
      name: 'use-cases-import-no-handler',
      comment:
        'A use case is called by handlers (and the local system), never the other way round.',
      severity: 'error',
      from: { path: '^lambdas/use-cases/' },
      to: { path: '^lambdas/handlers/' },
    },
    {
      name: 'lambdas-import-nothing-outside',
      comment:
        'Code that runs in AWS is bundled from lambdas/ alone: no CDK, local system, scripts, bench or tests.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: OUTSIDE_LAMBDAS },
    },
    {
      name: 'lib-imports-no-runtime-wiring',
      comment:
        'lib/ (CDK) uses contracts, the domain (portfolio validation) and flow (the flow gate); it names handler files through lib/bundling.ts, never imports them.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(lambdas/(handlers|use-cases|adapters)/|local/|scripts/|bench/|test/)' },
    },
    {
      name: 'bin-wires-lib-only',
      comment: 'The CDK app reads context through lib/config and wires stacks.',
      severity: 'error',
      from: { path: '^bin/' },
      to: { path: '^(lambdas/(handlers|use-cases|adapters)/|local/|scripts/|bench/|test/)' },
    },
    {
      name: 'local-is-imported-by-tools-only',
      comment:
        'The one-machine system is used by scripts, bench and tests, never by what is deployed.',
      severity: 'error',
      from: { path: '^(lambdas|lib|bin|dashboard)/' },
      to: { path: '^local/' },
    },
    {
      name: 'nothing-deployed-imports-ops',
      comment:
        'ops/ holds tools a platform team runs against its AWS account (npm run preflight): what is deployed, the local system and the dashboard never depend on them.',
      severity: 'error',
      from: { path: '^(lambdas|lib|bin|local|dashboard)/' },
      to: { path: '^ops/' },
    },
    {
      name: 'ops-imports-no-runtime-wiring',
      comment:
        'ops/ reads the account through lambdas/adapters and the SDK, and the portfolio through lib/config; it shares the CLI output port of local/cli-output.ts and nothing else of local/, no use case, handler, construct or stack.',
      severity: 'error',
      from: { path: '^ops/' },
      to: {
        path: '^(lambdas/(use-cases|handlers|flow)/|lib/(?!config/)|local/(?!cli-output\\.ts$)|bench/|test/|bin/|dashboard/)',
      },
    },
    {
      name: 'bench-imports-no-test',
      comment: 'Benchmarks measure what ships; test helpers are not part of it.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'nothing-imports-scripts-or-bench',
      comment: 'CLIs and benchmarks are entry points.',
      severity: 'error',
      from: { pathNot: '^(scripts|bench|test)/' },
      to: { path: '^(scripts|bench)/' },
    },
    {
      name: 'dashboard-reads-only-the-public-api',
      comment:
        'The dashboard knows the API through openapi.yaml (its generated types), not the server code.',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: { path: '^(lambdas|lib|local|scripts|bench|test)/' },
    },
    {
      name: 'no-unresolvable-import',
      comment:
        'An import that resolves to nothing would hide a dependency from these rules (the dashboard types npm run typecheck generates excepted, so the rules also run before it).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '/generated/api-schema\\.js$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.local)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
