import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiRoutes } from '../apps/gateway/src/api/api-routes';
import { buildOpenApiDocument } from '../apps/gateway/src/api/openapi';

/**
 * `npm run openapi:lint` and `npm run openapi:client [-- --check]`: the gateway's
 * OpenAPI document, built from the route table alone (no server, no bus), then
 * linted with Redocly's recommended rules, or turned into the console's typed
 * client (openapi-typescript types for openapi-fetch). `--check` fails when the
 * committed types differ from what the document gives (docs/decisions/0026).
 */
const root = join(__dirname, '..', '..');
const DOCUMENT = join(root, 'dist', 'openapi.json');
export const CLIENT_TYPES = join(root, 'apps', 'console', 'src', 'api', 'schema.d.ts');

function writeDocument(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(apiRoutes), null, 2)}\n`);
}

function tool(name: string, args: string[]): void {
  // No usage reports or update checks from the tools: this runs offline in CI.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const result = spawnSync(join(root, 'node_modules', '.bin', name), args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function main(): void {
  const [command, ...rest] = process.argv.slice(2);
  writeDocument(DOCUMENT);
  switch (command) {
    case 'write':
      console.log(`openapi: wrote ${DOCUMENT}`);
      return;
    case 'lint':
      tool('redocly', ['lint', DOCUMENT, '--config', join(root, 'redocly.yaml')]);
      return;
    case 'client': {
      if (!rest.includes('--check')) {
        tool('openapi-typescript', [DOCUMENT, '--output', CLIENT_TYPES]);
        return;
      }
      const fresh = join(root, 'dist', 'schema.d.ts');
      tool('openapi-typescript', [DOCUMENT, '--output', fresh]);
      if (readFileSync(fresh, 'utf8') !== readFileSync(CLIENT_TYPES, 'utf8')) {
        console.error(`openapi: ${CLIENT_TYPES} is out of date with the route table; run npm run openapi:client and commit it`);
        process.exit(1);
      }
      console.log('openapi: the console’s client types match the route table');
      return;
    }
    default:
      console.error('usage: openapi write | lint | client [--check]');
      process.exit(2);
  }
}

main();
