// The layers of docs/ARCHITECTURE.md ("Layers"), checked on every `npm test`: an import may run down
// a layer, never back up. A rule broken names the importing file, the imported one and the rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'agency-services-only',
      comment: 'server/agency/ holds services that API, space and CLI share: it knows no route and no page.',
      severity: 'error',
      from: { path: '^server/agency/' },
      to: { path: '^server/(routes|pages)/' },
    },
    {
      name: 'routes-registered-by-the-app',
      comment: 'Only app.ts registers routes: no service, page, store or the CLI reaches into server/routes/.',
      severity: 'error',
      from: { path: '^(server|bench)/', pathNot: '^server/(routes/|app[.]ts$)' },
      to: { path: '^server/routes/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'The command line is a composition root, as app.ts is: services, pages and routes know nothing of it.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/cli([.]ts$|/)' },
      to: { path: '^server/cli([.]ts$|/)' },
    },
    {
      name: 'mail-below-the-services',
      comment: 'server/mail/ renders, queues and sends: the services and jobs that mail call it, never the reverse.',
      severity: 'error',
      from: { path: '^server/mail/' },
      to: { path: '^server/(agency|jobs|routes|schemas)/' },
    },
    {
      name: 'jobs-composed-by-the-app',
      comment: 'The leased runs (alerts, digests) are started by app.ts alone: no service, page or route calls them.',
      severity: 'error',
      from: { path: '^(server|bench)/', pathNot: '^server/(jobs/|app[.]ts$)' },
      to: { path: '^server/jobs/' },
    },
    {
      name: 'pages-import-no-route',
      comment: 'A page renders what it is given: it reaches no route (what both need lives below them).',
      severity: 'error',
      from: { path: '^server/pages/' },
      to: { path: '^server/routes/' },
    },
    {
      name: 'store-is-the-floor',
      comment: 'server/store/ is below every service, route and page: it knows no HTTP and nothing that calls it.',
      severity: 'error',
      from: { path: '^server/store/' },
      to: { path: '^server/(agency|routes|pages|schemas|app[.]ts|server[.]ts|cli[.]ts|cli/)' },
    },
    {
      name: 'shared-stays-plain',
      comment: 'shared/ is bundled into the widget: it imports nothing of the server or the widget.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|widget)/' },
    },
    {
      name: 'shared-no-package',
      comment: 'shared/ is bundled into the widget: no npm package and no Node module (zod alone would triple it).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown', 'core'] },
    },
    {
      name: 'widget-no-server',
      comment: 'The widget runs in the host page: it may import shared/, never the server.',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: '^server/' },
    },
    {
      name: 'public-routes-no-agency',
      comment: 'The public routes never reach into the agency scope (cookies, sessions, CSRF live there only).',
      severity: 'error',
      from: { path: '^server/routes/public/' },
      to: { path: '^server/routes/agency/' },
    },
    {
      name: 'no-cycle',
      comment: 'Modules that import each other cannot be read or tested one at a time.',
      severity: 'error',
      // Each engine's files take their handle's type (Db, Pg) from open-sqlite.ts / open-postgres.ts,
      // which imports them: a loop of types only, erased by the build, that swc reports as imports
      // (docs/ARCHITECTURE.md, "Layers").
      from: { pathNot: '^server/store/(sqlite|postgres)/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // widget/form.tsx and widget/problem-form.tsx: swc, as dependency-cruiser calls it, reads no JSX (docs/ARCHITECTURE.md, "Layers").
    exclude: { path: ['^(dist|node_modules)/', '^widget/(form|problem-form)[.]tsx$'] },
    // TypeScript 7, which the project compiles with, has no JavaScript API for dependency-cruiser to
    // parse with: swc parses instead, and sees `import type` as an import (stricter, not looser).
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
