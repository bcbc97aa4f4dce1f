import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiRoutes } from '../apps/gateway/src/api/api-routes';
import { buildOpenApiDocument } from '../apps/gateway/src/api/openapi';
import { CLIENT_TYPES_PATH, consoleClientTypes } from './openapi-client';

/**
 * `npm run openapi:lint` and `npm run openapi:client`: the gateway's OpenAPI
 * document, built from the route table alone (no server, no bus), then linted
 * with Redocly's recommended rules, or turned into the console's typed client
 * (openapi-typescript types for openapi-fetch; docs/decisions/0026).
 */
const root = join(__dirname, '..', '..');
const DOCUMENT = join(root, 'dist', 'openapi.json');

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
  const [command] = process.argv.slice(2);
  writeDocument(DOCUMENT);
  switch (command) {
    case 'write':
      console.log(`openapi: wrote ${DOCUMENT}`);
      return;
    case 'lint':
      tool('redocly', ['lint', DOCUMENT, '--config', join(root, 'redocly.yaml')]);
      return;
    case 'client': {
      // Written only when it changes: a fresh mtime under apps/ would make every later `npm start` or `npm test` compile again.
      const file = join(root, CLIENT_TYPES_PATH);
      const types = consoleClientTypes(root);
      if (existsSync(file) && readFileSync(file, 'utf8') === types) return;
      writeFileSync(file, types);
      console.log(`openapi: wrote ${CLIENT_TYPES_PATH}`);
      return;
    }
    default:
      console.error('usage: openapi write | lint | client');
      process.exit(2);
  }
}

main();
