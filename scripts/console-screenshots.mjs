// npm run console:screenshots — saves every console screen, at phone width and on a desktop, to docs/console/.
// It runs the console's browser test (test/console/console-pages.e2e-spec.ts), which starts a small demo
// network (a coalition, two organisations, a supporter, a published alert) and visits each screen in Chromium.
// Needs `npm run build` first (the test runs the compiled services and the built console).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const result = spawnSync(
  join(root, 'node_modules/.bin/jest'),
  ['--selectProjects', 'e2e', '--runTestsByPath', 'test/console/console-pages.e2e-spec.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CONSOLE_SCREENSHOTS: join(root, 'docs/console') } },
);
process.exit(result.status ?? 1);
