// npm run console:screenshots — saves every console screen, at phone width and on a desktop, to docs/console/.
// It runs the console's browser suite alone (test/standard-network/console-pages.ts, on the standard network its
// list starts), which sets up a small demo (a coalition, two organisations, supporters, a published alert) and
// visits each screen in Chromium: the other suites of the list are skipped, so the screens show only its demo.
// Needs `npm run build` first (the test runs the compiled services and the built console).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const result = spawnSync(
  join(root, 'node_modules/.bin/jest'),
  ['--selectProjects', 'e2e', '--runTestsByPath', 'test/standard-network/surfaces.e2e-spec.ts', '-t', 'the consoles, screen by screen'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CONSOLE_SCREENSHOTS: join(root, 'docs/console') } },
);
process.exit(result.status ?? 1);
