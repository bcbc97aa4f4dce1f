import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goCommand, type Progress } from './binaries';
import { infraBinDir } from './paths';

/**
 * The Kubernetes release whose API the Helm chart is checked against: the one
 * helm's own k8s.io libraries come from (client-go v0.37, infra/tools/helm/go.mod).
 */
export const KUBERNETES_VERSION = '1.37.2';

/** Bumped when the conversion below changes, so cached schemas are made again. */
const CONVERSION = 1;

/**
 * JSON schemas of every Kubernetes kind, one file per kind as kubeconform
 * names them (`deployment-apps-v1.json`, `service-v1.json`), made once into
 * .infra/k8s-schemas/v<version> from the OpenAPI document the
 * k8s.io/kubernetes module carries (api/openapi-spec/swagger.json), which the
 * Go module proxy serves: no schema registry is reachable from CI
 * (docs/decisions/0032). Returns the folder.
 */
export async function ensureK8sSchemas(progress: Progress = () => undefined): Promise<string> {
  const dir = join(infraBinDir(), '..', 'k8s-schemas', `v${KUBERNETES_VERSION}`);
  const stamp = join(dir, '.stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(CONVERSION)) return dir;

  const started = Date.now();
  progress(`fetching the Kubernetes ${KUBERNETES_VERSION} OpenAPI document from the Go module proxy`);
  const moduleDir = await downloadKubernetesModule();
  const swagger = JSON.parse(readFileSync(join(moduleDir, 'api', 'openapi-spec', 'swagger.json'), 'utf8')) as Swagger;
  const schemas = kindSchemas(swagger);

  // Written beside and moved into place, so a half-written folder is never taken for a finished one.
  const parent = join(dir, '..');
  mkdirSync(parent, { recursive: true });
  const temp = mkdtempSync(join(parent, '.making-'));
  for (const [file, schema] of schemas) writeFileSync(join(temp, file), JSON.stringify(schema));
  writeFileSync(join(temp, '.stamp'), String(CONVERSION));
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  progress(`made ${schemas.size} Kubernetes schemas in ${Math.round((Date.now() - started) / 1000)} s`);
  return dir;
}

function downloadKubernetesModule(): Promise<string> {
  // Outside any module, so no go.mod's replace directives get in the way; only the module's zip is fetched.
  const cwd = mkdtempSync(join(tmpdir(), 'clarion-k8s-'));
  return new Promise<string>((resolve, reject) => {
    execFile(
      goCommand(),
      ['mod', 'download', '-json', `k8s.io/kubernetes@v${KUBERNETES_VERSION}`],
      { cwd, timeout: 10 * 60_000, maxBuffer: 1 << 20, env: { ...process.env, GOFLAGS: '-mod=mod' } },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        if (error) return reject(new Error(`go mod download k8s.io/kubernetes@v${KUBERNETES_VERSION} failed: ${stderr || error.message}`));
        const { Dir } = JSON.parse(stdout) as { Dir?: string };
        if (!Dir) return reject(new Error(`go mod download k8s.io/kubernetes@v${KUBERNETES_VERSION} named no folder`));
        resolve(Dir);
      },
    );
  });
}

type Schema = Record<string, unknown>;
interface Swagger {
  definitions: Record<string, Schema>;
}
interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const REF_PREFIX = '#/definitions/';

/**
 * One standalone, strict schema per kind: the kind's definition with every
 * definition it reaches copied under `definitions` (so recursive types stay
 * finite), objects closed to fields the API does not know (a misspelt
 * `readinessProbe` fails, as it would be silently dropped by the API server),
 * and the two types Kubernetes writes either way (IntOrString, Quantity)
 * accepting both.
 */
export function kindSchemas(swagger: Swagger): Map<string, Schema> {
  const files = new Map<string, Schema>();
  for (const definition of Object.values(swagger.definitions)) {
    const kinds = definition['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
    // Shared types (DeleteOptions, WatchEvent) carry many kinds: none is a resource of its own.
    if (!kinds || kinds.length !== 1) continue;
    const [{ group, version, kind }] = kinds;
    const apiVersion = group ? `${group}/${version}` : version;
    const root = convert(definition);
    const properties = (root.properties ?? {}) as Record<string, Schema>;
    if (properties.kind) properties.kind = { type: 'string', enum: [kind] };
    if (properties.apiVersion) properties.apiVersion = { type: 'string', enum: [apiVersion] };
    const definitions: Record<string, Schema> = {};
    const pending = [...referencesIn(root)];
    while (pending.length > 0) {
      const ref = pending.pop()!;
      if (ref in definitions) continue;
      // A quantity is written `cpu: 1` as often as `cpu: 500m`.
      definitions[ref] = ref.endsWith('.api.resource.Quantity') ? { oneOf: [{ type: 'string' }, { type: 'number' }] } : convert(swagger.definitions[ref] ?? {});
      pending.push(...referencesIn(definitions[ref]));
    }
    const suffix = group ? `-${group.split('.')[0]}-${version}` : `-${version}`;
    files.set(`${kind.toLowerCase()}${suffix}.json`, { ...root, definitions });
  }
  return files;
}

function convert(schema: Schema): Schema {
  if (schema.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'description') continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([field, sub]) => [field, convert(sub)]));
    else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = convert(value as Schema);
    else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') out[key] = (value as Schema[]).map(convert);
    else out[key] = value;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function referencesIn(schema: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) found.push(value.slice(REF_PREFIX.length));
        else walk(value);
      }
    }
  };
  walk(schema);
  return found;
}

/** kubeconform's -schema-location for the folder ensureK8sSchemas made. */
export function kubeconformSchemaLocation(dir: string): string {
  return `${dir}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
}
