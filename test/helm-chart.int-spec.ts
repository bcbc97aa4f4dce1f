import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { serviceConfigSchemas, type ServiceName } from '@clarion/config';
import { ensureBinary, ensureK8sSchemas, kubeconformSchemaLocation, writeBusDeployment, type BusDeployment } from '@clarion/infra';

/**
 * The Helm chart (deploy/helm/clarion), checked the way a cluster would take
 * it, without a cluster: `helm lint --strict`, `helm template` with the keys
 * `npm run nats:config` really writes, every rendered object against the
 * Kubernetes API's own schemas (kubeconform, with schemas made from the
 * OpenAPI document of the Kubernetes release helm is built with), and each
 * Deployment's environment, Secrets and files as its pod would see them,
 * parsed by that service's own configuration schema, as
 * test/docker-compose.spec.ts does for compose.
 */

const root = join(__dirname, '..');
const chart = join(root, 'deploy', 'helm', 'clarion');
const SERVICES: ServiceName[] = ['gateway', 'alerts', 'subscriptions', 'delivery'];
const BUILD_TIMEOUT_MS = 25 * 60_000;

// Rendered Kubernetes objects: read field by field, as the API server would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dict = Record<string, any>;

function run(command: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: root, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

let helm: string;
let kubeconform: string;
let schemas: string;
let work: string;
let bus: BusDeployment;
/** Every value the operator gives, as docs/operations.md's install command gives it. */
let valueArgs: string[];

beforeAll(async () => {
  [helm, kubeconform, schemas] = await Promise.all([ensureBinary('helm'), ensureBinary('kubeconform'), ensureK8sSchemas()]);
  work = mkdtempSync(join(tmpdir(), 'clarion-helm-'));
  bus = writeBusDeployment({ out: join(work, 'bus'), host: '0.0.0.0', port: 4222, storeDir: '/data' });
  const mongo = (service: string) =>
    `mongodb://${service}:pw-${service}@mongo-0.mongo:27017,mongo-1.mongo:27017,mongo-2.mongo:27017/clarion_${service}?replicaSet=rs0&authSource=clarion_${service}&tls=true`;
  valueArgs = [
    ...SERVICES.flatMap((service) => ['--set-file', `secrets.natsSeeds.${service}=${bus.services[service].seedFile}`]),
    '--set-file', `secrets.natsSeeds.operator=${bus.operator.seedFile}`,
    '--set-file', `secrets.busPublicKeys=${bus.services.gateway.publicKeysFile}`,
    '--set-file', `secrets.senderSecretsPrivateKey=${bus.senderSecretsKeyFile}`,
    '--set', `secrets.secretKey=${'k'.repeat(40)}`,
    ...(['alerts', 'subscriptions', 'delivery'] as const).flatMap((service) => ['--set', `secrets.mongoUrls.${service}=${mongo(service).replace(/,/g, '\\,')}`]),
    '--set', 'secrets.smtpUrl=smtps://relay:secret@smtp.example.org:465',
    '--set', `senderSecretsPublicKey=${bus.keys.senderSecretsPublicKey}`,
  ];
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function render(extra: string[] = []): Promise<Dict[]> {
  const { code, stdout, stderr } = await run(helm, ['template', 'clarion', chart, '--namespace', 'clarion', ...valueArgs, ...extra]);
  if (code !== 0) throw new Error(`helm template failed: ${stderr}`);
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as Dict | null)
    .filter((doc): doc is Dict => doc !== null);
}

describe('Helm chart', () => {
  it('passes helm lint --strict', async () => {
    const { code, stdout, stderr } = await run(helm, ['lint', '--strict', chart, ...valueArgs]);
    expect({ code, out: code === 0 ? '' : stdout + stderr }).toEqual({ code: 0, out: '' });
  });

  it('renders objects the Kubernetes API accepts, every one checked against its schema (none skipped)', async () => {
    const { stdout: manifests, code: renderCode, stderr } = await run(helm, ['template', 'clarion', chart, '--namespace', 'clarion', ...valueArgs]);
    expect({ renderCode, stderr }).toEqual({ renderCode: 0, stderr: '' });
    const objects = parseAllDocuments(manifests).filter((doc) => doc.toJS() !== null).length;
    const { code, stdout } = await run(kubeconform, ['-strict', '-summary', '-output', 'json', '-schema-location', kubeconformSchemaLocation(schemas), '-'], manifests);
    const report = JSON.parse(stdout) as { resources?: { kind: string; name: string; status: string; msg: string }[]; summary: Dict };
    expect({ code, problems: (report.resources ?? []).filter((r) => r.status !== 'statusValid') }).toEqual({ code: 0, problems: [] });
    expect(report.summary).toEqual({ valid: objects, invalid: 0, errors: 0, skipped: 0 });
    expect(objects).toBeGreaterThanOrEqual(20);
  });

  it('is refused by the schema check when a field is misspelt (the check is not a formality)', async () => {
    const { stdout } = await run(helm, ['template', 'clarion', chart, '--namespace', 'clarion', ...valueArgs]);
    const broken = stdout.replace('readinessProbe:', 'readinesProbe:');
    expect(broken).not.toBe(stdout);
    const { code, stdout: out } = await run(kubeconform, ['-strict', '-summary', '-output', 'json', '-schema-location', kubeconformSchemaLocation(schemas), '-'], broken);
    expect(code).not.toBe(0);
    expect(out).toContain('readinesProbe');
  });

  it('refuses to render without a credential, naming the value to give', async () => {
    // A later --set wins: the SMTP relay's URL left empty.
    const { code, stderr } = await run(helm, ['template', 'clarion', chart, ...valueArgs, '--set', 'secrets.smtpUrl=']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('secrets.smtpUrl');
  });

  describe('each service as its pod would start', () => {
    let objects: Dict[];
    beforeAll(async () => {
      objects = await render();
    });
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

    /**
     * The environment the container gets: literal values, values from its Secret, and the files of
     * its Secret volumes written out under `work` with each variable that names one pointed there.
     */
    function podEnvironment(service: ServiceName): { env: Record<string, string>; names: string[]; problems: string[] } {
      const deployment = find('Deployment', `clarion-${service}`);
      const pod = deployment!.spec.template.spec;
      const container = pod.containers[0];
      const problems: string[] = [];
      const secretData = (name: string): Record<string, string> => find('Secret', name)?.stringData ?? {};
      const files = new Map<string, string>();
      for (const mount of container.volumeMounts ?? []) {
        const volume = pod.volumes.find((v: Dict) => v.name === mount.name);
        if (!volume?.secret) continue;
        const data = secretData(volume.secret.secretName);
        const dir = join(work, 'pods', service, mount.name);
        mkdirSync(dir, { recursive: true });
        for (const item of volume.secret.items ?? []) {
          if (!(item.key in data)) problems.push(`${service}: volume ${mount.name} names key ${item.key}, not in Secret ${volume.secret.secretName}`);
          writeFileSync(join(dir, item.path), data[item.key] ?? '');
          files.set(`${mount.mountPath}/${item.path}`, join(dir, item.path));
        }
      }
      const env: Record<string, string> = {};
      const names: string[] = [];
      for (const entry of container.env ?? []) {
        names.push(entry.name);
        if (entry.valueFrom?.secretKeyRef) {
          const { name, key, optional } = entry.valueFrom.secretKeyRef;
          const value = secretData(name)[key];
          if (value === undefined && !optional) problems.push(`${service}: ${entry.name} comes from ${name}/${key}, which the chart does not make`);
          if (value !== undefined) env[entry.name] = value;
        } else {
          env[entry.name] = files.get(entry.value) ?? entry.value;
        }
      }
      return { env, names, problems };
    }

    it.each(SERVICES)('%s: sets only variables its configuration schema knows', (service) => {
      const known = Object.keys(serviceConfigSchemas[service].shape);
      const { names } = podEnvironment(service);
      expect(names.filter((name) => !known.includes(name))).toEqual([]);
      expect(new Set(names).size).toBe(names.length);
    });

    it.each(SERVICES)('%s: its environment, Secret and files pass its configuration schema', (service) => {
      const { env, problems } = podEnvironment(service);
      const parsed = serviceConfigSchemas[service].safeParse(env);
      expect({ problems, issues: parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }).toEqual({ problems: [], issues: [] });
      const config = parsed.data as Dict;
      // Not the schema's development defaults: the values an operator gave.
      expect(config.NATS_URL).toMatch(/^nats:\/\/nats\.nats\.svc/);
      expect(config.JETSTREAM_REPLICAS).toBe(3);
      expect(config.HTTP_HOST).toBe('0.0.0.0');
      if ('MONGO_URL' in env) expect(config.MONGO_URL).toContain('replicaSet=rs0');
    });

    it.each(SERVICES)('%s: holds its own NKey seed and no other service’s, nor the operator’s', (service) => {
      const { env } = podEnvironment(service);
      expect(readFileSync(env.NATS_NKEY_SEED_FILE, 'utf8').trim()).toBe(readFileSync(bus.services[service].seedFile, 'utf8').trim());
      const deployment = find('Deployment', `clarion-${service}`)!;
      const secretNames = JSON.stringify(deployment.spec.template.spec).match(/"secretName":"[^"]+"|"name":"clarion-[a-z]+"(?=,"key")/g) ?? [];
      expect(secretNames.every((ref) => ref.includes(`clarion-${service}`))).toBe(true);
      expect(find('Secret', `clarion-${service}`)!.stringData['nats.nk']).not.toContain(readFileSync(bus.operator.seedFile, 'utf8').trim());
    });

    it('gives delivery alone the sender-secrets private key', () => {
      for (const service of SERVICES) {
        const hasKey = 'sender-secrets.pem' in (find('Secret', `clarion-${service}`)!.stringData ?? {});
        expect({ service, hasKey }).toEqual({ service, hasKey: service === 'delivery' });
      }
    });

    it('probes every service on its own health endpoints, and drains before it is killed', () => {
      for (const service of SERVICES) {
        const pod = find('Deployment', `clarion-${service}`)!.spec.template.spec;
        const container = pod.containers[0];
        expect({ service, live: container.livenessProbe.httpGet.path, ready: container.readinessProbe.httpGet.path }).toEqual({ service, live: '/health/live', ready: '/health/ready' });
        const shutdownMs = Number(container.env.find((e: Dict) => e.name === 'SHUTDOWN_TIMEOUT_MS').value);
        expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs);
        expect(pod.securityContext.runAsNonRoot).toBe(true);
      }
    });

    it('scales delivery workers horizontally, and keeps a PodDisruptionBudget and a NetworkPolicy for every service', () => {
      expect(find('HorizontalPodAutoscaler', 'clarion-delivery')!.spec.scaleTargetRef.name).toBe('clarion-delivery');
      for (const service of SERVICES) {
        expect({ service, pdb: !!find('PodDisruptionBudget', `clarion-${service}`), policy: !!find('NetworkPolicy', `clarion-${service}`) }).toEqual({ service, pdb: true, policy: true });
      }
      // Only delivery reaches beyond NATS, DNS and the database.
      const outside = (service: string) => find('NetworkPolicy', `clarion-${service}`)!.spec.egress.some((rule: Dict) => !rule.to);
      expect(SERVICES.filter(outside)).toEqual(['delivery']);
    });
  });
});

describe('values for the official NATS chart (deploy/nats-values.yaml)', () => {
  const values = parse(readFileSync(join(root, 'deploy', 'nats-values.yaml'), 'utf8')) as Dict;

  it('asks for a three-node JetStream cluster on the embedded server’s minor version, store encrypted', () => {
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true } });
    expect(values.config.jetstream.merge).toEqual({ cipher: 'aes', key: '<< $CLARION_JETSTREAM_KEY >>' });
    const embedded = /nats-server\/v2 v(\d+\.\d+)\./.exec(readFileSync(join(root, 'infra/tools/nats-server/go.mod'), 'utf8'))![1];
    expect(String(values.container.image.tag)).toMatch(new RegExp(`^${embedded.replace('.', '\\.')}\\.\\d+-alpine$`));
  });

  it('includes the authorization nats:config writes, from the Secret it mounts, and reads the store key from that Secret', () => {
    const include = values.config.merge['00$include'] as string;
    const mount = (values.container.patch as Dict[]).find((p) => p.value?.name === 'clarion-bus')!.value;
    const volume = (values.podTemplate.patch as Dict[]).find((p) => p.value?.name === 'clarion-bus')!.value;
    // Includes are relative to /etc/nats-config, where the chart writes nats.conf.
    expect(`/etc/nats-config/${include}`).toBe(`${mount.mountPath}/${volume.secret.items[0].path}`);
    expect(volume.secret.items[0].key).toBe('authorization.conf');
    expect(values.container.env.CLARION_JETSTREAM_KEY.valueFrom.secretKeyRef).toEqual({ name: volume.secret.secretName, key: 'jetstream-store.key' });
    expect(readFileSync(bus.authorizationFile, 'utf8')).toMatch(/^authorization: \{/);
  });
});
