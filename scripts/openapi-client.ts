import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { apiRoutes } from '../apps/gateway/src/api/api-routes';
import { buildOpenApiDocument } from '../apps/gateway/src/api/openapi';

/** The console's API types, committed so a fresh clone type-checks; the build writes them again (decision 0026). */
export const CLIENT_TYPES_PATH = join('apps', 'console', 'src', 'api', 'schema.d.ts');

/** `paths`, `components` and `operations` types for openapi-fetch, from the document the gateway serves. */
export function consoleClientTypes(root: string): string {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'openapi-types.cjs')], {
    cwd: root,
    input: JSON.stringify(buildOpenApiDocument(apiRoutes)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`openapi-types failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}
