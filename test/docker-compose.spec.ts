import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import type { z } from 'zod';
import { serviceConfigSchemas, type ServiceName } from '@clarion/config';
import { natsPermissions, streamOperatorPermissions } from '@clarion/contracts';
import { parseBusDeploymentArgs, writeBusDeployment, type BusDeployment } from '@clarion/infra';
import { publicKeyOfSeed } from '@clarion/security';

/**
 * docker-compose.yml and the Dockerfile cannot be run here, so this reads them
 * and checks them against the services' own config schemas: a renamed or
 * mistyped variable, a missing dependency or a root container fails this test
 * instead of a deployment. Each check collects every problem, naming the
 * service and variable, and expects that list to be empty.
 *
 * What compose would run is run here where it can be: the bus-keys command
 * (scripts/nats-config) writes the NATS configuration and the services' keys
 * into a temporary folder standing for its volumes, and MongoDB's init script
 * runs against a stand-in `db` that records the users it creates. Variables
 * compose interpolates get values like those an operator puts in .env.
 */

const root = join(__dirname, '..');
const SERVICES: ServiceName[] = ['gateway', 'alerts', 'subscriptions', 'delivery'];
const WITH_DATABASE: ServiceName[] = ['alerts', 'subscriptions', 'delivery'];

type Dict = Record<string, unknown>;

// `<<` merge keys are YAML 1.1; docker compose honours them, so the parser must too.
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as Dict;
const composeServices = (compose.services ?? {}) as Record<string, Dict>;

/** The variables .env.example names, with their (empty) values. */
const envExample = Object.fromEntries(
  readFileSync(join(root, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2]]),
);
/** What an operator's .env holds: a fresh hex secret for each variable .env.example names (the optional admin token left empty). */
const operatorEnv: Record<string, string> = Object.fromEntries(
  Object.keys(envExample).map((name) => [name, name === 'CLARION_ADMIN_TOKEN' ? '' : randomBytes(24).toString('hex')]),
);

/** `${NAME}`, `${NAME:-default}` and `${NAME:?message}` as compose resolves them from .env (a missing required one becomes empty: the .env.example test names it). */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_, name: string, operator?: string, rest?: string) => {
    const given = operatorEnv[name];
    if (given !== undefined && given !== '') return given;
    return operator === '-' ? (rest ?? '') : '';
  });
}

function shapeOf(service: ServiceName): Record<string, z.ZodType> {
  return serviceConfigSchemas[service].shape as unknown as Record<string, z.ZodType>;
}

/** The environment as written in the file: every value a string. `null` means "taken from the host". */
function rawEnvironmentOf(service: string): Record<string, string | null> {
  const env = composeServices[service]?.environment;
  if (env === undefined || env === null) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq === -1 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env as Dict).map(([key, value]) => [key, value === null || value === undefined ? null : String(value)]),
  );
}

/** The environment as the process sees it, once compose has put in the values from .env. */
function environmentOf(service: string): Record<string, string | null> {
  return Object.fromEntries(Object.entries(rawEnvironmentOf(service)).map(([key, value]) => [key, value === null ? null : interpolate(value)]));
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** A service's volumes and bind mounts, short (`source:target[:ro]`) or long syntax. */
function mountsOf(service: string): Mount[] {
  return ((composeServices[service]?.volumes ?? []) as unknown[]).map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as Dict;
      return { source: String(long.source), target: String(long.target), readOnly: long.read_only === true };
    }
    const [source, target, mode] = String(entry).split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

function dependsOn(service: string): Record<string, string | undefined> {
  const deps = composeServices[service]?.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [String(name), undefined]));
  return Object.fromEntries(Object.entries(deps as Record<string, Dict>).map(([name, spec]) => [name, spec?.condition as string | undefined]));
}

/** Dockerfile instructions with comments dropped and `\` continuations joined. */
function dockerfileInstructions(): { keyword: string; args: string }[] {
  const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').split(/\r?\n/);
  const instructions: string[] = [];
  let current = '';
  for (const line of lines) {
    if (/^\s*#/.test(line)) continue;
    if (line.trimEnd().endsWith('\\')) {
      current += line.trimEnd().slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim()) instructions.push(current.trim());
    current = '';
  }
  if (current.trim()) instructions.push(current.trim());
  return instructions.map((text) => {
    const match = /^(\S+)\s*(.*)$/s.exec(text)!;
    return { keyword: match[1].toUpperCase(), args: match[2].trim() };
  });
}

/** bus-keys' command: `node dist/scripts/<script>.js <arguments>`. */
function busKeysCommand(): { script: string; args: string[] } {
  const command = ((composeServices['bus-keys']?.command ?? []) as unknown[]).map(String);
  return { script: command[1] ?? '', args: command.slice(2) };
}

describe('docker-compose.yml', () => {
  /** What bus-keys writes, written here by the same code with its own arguments, into a folder standing for /out. */
  let bus: BusDeployment;
  let busOut: string;
  let containerOut: string;

  beforeAll(() => {
    const options = parseBusDeploymentArgs(busKeysCommand().args);
    containerOut = options.out;
    busOut = mkdtempSync(join(tmpdir(), 'clarion-compose-bus-'));
    // Without --owner: it chowns to the containers' user, which needs root and means nothing here.
    bus = writeBusDeployment({ ...options, out: busOut, owner: undefined });
    // What the operator copies into .env from bus-keys' output.
    operatorEnv.CLARION_SENDER_SECRETS_PUBLIC_KEY = bus.keys.senderSecretsPublicKey;
  });

  afterAll(() => rmSync(busOut, { recursive: true, force: true }));

  /**
   * Where a file a container sees at `path` was written: through the volume it
   * is mounted from, to where bus-keys mounts that volume under its --out.
   */
  function writtenFile(service: string, path: string): string | undefined {
    const mount = mountsOf(service).find((m) => path === m.target || path.startsWith(`${m.target}/`));
    const writer = mount && mountsOf('bus-keys').find((m) => m.source === mount.source);
    if (!mount || !writer) return undefined;
    const inBusKeys = writer.target + path.slice(mount.target.length);
    return inBusKeys.startsWith(`${containerOut}/`) ? join(busOut, inBusKeys.slice(containerOut.length + 1)) : undefined;
  }

  /** The environment with each file bus-keys writes replaced by where it was written here, so the schema can read it. */
  function environmentWithBusFiles(service: ServiceName): Record<string, string | null> {
    const env = environmentOf(service);
    for (const key of ['NATS_NKEY_SEED_FILE', 'BUS_PUBLIC_KEYS_FILE', 'SENDER_SECRETS_KEY_FILE']) {
      const value = env[key];
      if (value) env[key] = writtenFile(service, value) ?? `${value} (on no volume bus-keys writes)`;
    }
    return env;
  }

  function serverConfig(): Dict {
    return JSON.parse(readFileSync(bus.serverConfigFile, 'utf8')) as Dict;
  }

  it('defines the four Clarion services, each built from the Dockerfile with its SERVICE arg', () => {
    const problems: string[] = [];
    for (const service of SERVICES) {
      const spec = composeServices[service];
      if (!spec) {
        problems.push(`${service}: missing from services`);
        continue;
      }
      const build = spec.build as Dict | string | undefined;
      if (!build || typeof build !== 'object') {
        problems.push(`${service}: build must be a map with context, dockerfile and args`);
        continue;
      }
      const context = String(build.context ?? '.');
      const dockerfile = String(build.dockerfile ?? 'Dockerfile');
      if (!['.', './'].includes(context)) problems.push(`${service}: build.context is ${context}, expected the repository root (.)`);
      if (dockerfile !== 'Dockerfile') problems.push(`${service}: build.dockerfile is ${dockerfile}, expected Dockerfile`);
      const args = (build.args ?? {}) as Dict;
      if (args.SERVICE !== service) problems.push(`${service}: build.args.SERVICE is ${JSON.stringify(args.SERVICE)}, expected "${service}"`);
      if (spec.restart !== 'unless-stopped') problems.push(`${service}: restart is ${JSON.stringify(spec.restart)}, expected unless-stopped`);
      if (!spec.stop_grace_period) problems.push(`${service}: stop_grace_period is not set`);
    }
    expect(problems).toEqual([]);
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  });

  it('keeps environment as a map with values given in the file', () => {
    const problems: string[] = [];
    for (const service of SERVICES) {
      const env = composeServices[service]?.environment;
      if (env === undefined || Array.isArray(env) || typeof env !== 'object' || env === null) {
        problems.push(`${service}: environment must be a map (KEY: value)`);
        continue;
      }
      for (const [key, value] of Object.entries(rawEnvironmentOf(service))) {
        if (value === null) problems.push(`${service}: ${key} has no value (it would be taken from the host)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(SERVICES)('%s: sets only variables its config schema knows', (service) => {
    const known = new Set(Object.keys(shapeOf(service)));
    const unknown = Object.keys(environmentOf(service))
      .filter((key) => !known.has(key))
      .map((key) => `${service}: ${key} is not a key of the ${service} config schema (known: ${[...known].join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it.each(SERVICES)('%s: sets every schema variable that has no default', (service) => {
    const env = environmentOf(service);
    const missing = Object.entries(shapeOf(service))
      .filter(([, field]) => !field.safeParse(undefined).success)
      .filter(([key]) => env[key] === undefined || env[key] === null)
      .map(([key]) => `${service}: ${key} is required by the schema (no default) but not set`);
    expect(missing).toEqual([]);
  });

  it.each(SERVICES)('%s: environment values pass the config schema', (service) => {
    // Empty values count as unset, as loadConfig reads them (compose passes `VAR=` for a blank in .env).
    const env = Object.fromEntries(Object.entries(environmentWithBusFiles(service)).filter(([, value]) => value !== ''));
    const result = serviceConfigSchemas[service].safeParse(env);
    const issues = result.success
      ? []
      : result.error.issues.map((issue) => {
          const variable = issue.path.map(String).join('.') || '(environment)';
          return `${service}: ${variable} ${issue.message} (got ${JSON.stringify(env[variable])})`;
        });
    expect(issues).toEqual([]);
  });

  it('points every service at the compose nats, mongo and mailpit, each with its own database', () => {
    const problems: string[] = [];
    const databases = new Map<string, ServiceName>();
    for (const service of SERVICES) {
      const env = environmentOf(service);
      const host = (key: string) => {
        try {
          return new URL(String(env[key])).hostname;
        } catch {
          return undefined;
        }
      };
      if (host('NATS_URL') !== 'nats') problems.push(`${service}: NATS_URL should reach the nats service, got ${env.NATS_URL}`);
      if (env.HTTP_HOST !== '0.0.0.0') problems.push(`${service}: HTTP_HOST should be 0.0.0.0 inside a container, got ${env.HTTP_HOST}`);
      if (!env.HTTP_PORT) problems.push(`${service}: HTTP_PORT is not set (the healthcheck and port mapping rely on it)`);
      if (WITH_DATABASE.includes(service)) {
        if (host('MONGO_URL') !== 'mongo') problems.push(`${service}: MONGO_URL should reach the mongo service, got ${env.MONGO_URL}`);
        const database = env.MONGO_URL ? new URL(env.MONGO_URL).pathname.replace(/^\//, '') : '';
        if (database !== `clarion_${service}`) problems.push(`${service}: MONGO_URL database is ${database}, expected clarion_${service}`);
        const owner = databases.get(database);
        if (owner) problems.push(`${service}: MONGO_URL database ${database} is already ${owner}'s`);
        databases.set(database, service);
      } else if (env.MONGO_URL !== undefined) {
        problems.push(`${service}: MONGO_URL is set but ${service} has no database`);
      }
    }
    const delivery = environmentOf('delivery');
    if (!/^smtp:\/\/mailpit:1025\/?$/.test(String(delivery.SMTP_URL))) {
      problems.push(`delivery: SMTP_URL should be smtp://mailpit:1025, got ${delivery.SMTP_URL}`);
    }
    const gatewayPorts = ((composeServices.gateway?.ports ?? []) as unknown[]).map(String);
    const gatewayPort = environmentOf('gateway').HTTP_PORT;
    if (!gatewayPorts.some((mapping) => mapping.endsWith(`:${gatewayPort}`))) {
      problems.push(`gateway: HTTP_PORT ${gatewayPort} is not published (ports: ${gatewayPorts.join(', ') || 'none'})`);
    }
    expect(problems).toEqual([]);
  });

  it('starts each service after healthy nats, and mongo for those with a database', () => {
    const problems: string[] = [];
    for (const service of SERVICES) {
      const deps = dependsOn(service);
      const needed = ['nats', ...(WITH_DATABASE.includes(service) ? ['mongo'] : []), ...(service === 'delivery' ? ['mailpit'] : [])];
      for (const dep of needed) {
        if (!(dep in deps)) problems.push(`${service}: depends_on is missing ${dep}`);
        else if (deps[dep] !== 'service_healthy') problems.push(`${service}: depends_on ${dep} should wait for service_healthy, got ${deps[dep]}`);
        else if (!composeServices[dep]?.healthcheck) problems.push(`${service}: depends_on ${dep} is service_healthy but ${dep} has no healthcheck`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts every service after bus-keys has written its keys and bus-streams has applied the streams', () => {
    const problems = SERVICES.flatMap((service) =>
      ['bus-keys', 'bus-streams']
        .filter((oneShot) => dependsOn(service)[oneShot] !== 'service_completed_successfully')
        .map((oneShot) => `${service}: depends_on ${oneShot} should wait for service_completed_successfully, got ${dependsOn(service)[oneShot]}`),
    );
    expect(problems).toEqual([]);
  });

  it('applies the streams as the operator, with the seed bus-keys wrote, once nats is healthy', () => {
    const command = ((composeServices['bus-streams']?.command ?? []) as unknown[]).map(String);
    const problems: string[] = [];
    const source = /^dist\/(scripts\/[a-z-]+)\.js$/.exec(command[1] ?? '')?.[1];
    if (command[0] !== 'node' || !source || !existsSync(join(root, `${source}.ts`))) problems.push(`bus-streams: runs ${command.join(' ')}, which no scripts/*.ts compiles to`);
    const option = (name: string) => command[command.indexOf(name) + 1];
    if (new URL(option('--url')).hostname !== 'nats') problems.push(`bus-streams: --url ${option('--url')} does not reach the nats service`);
    const seedFile = writtenFile('bus-streams', option('--seed-file'));
    if (!seedFile || publicKeyOfSeed(readFileSync(seedFile, 'utf8').trim()) !== bus.keys.operator.publicKey) {
      problems.push(`bus-streams: --seed-file ${option('--seed-file')} is not the operator's seed bus-keys writes`);
    }
    const volume = mountsOf('bus-streams').find((m) => option('--seed-file').startsWith(`${m.target}/`))?.source;
    const holders = Object.keys(composeServices).filter((service) => mountsOf(service).some((m) => m.source === volume));
    if (holders.sort().join() !== 'bus-keys,bus-streams') problems.push(`the operator's seed (${volume}) is mounted by ${holders.join(', ')}`);
    if (dependsOn('bus-streams').nats !== 'service_healthy') problems.push('bus-streams: does not wait for a healthy nats');
    if (composeServices['bus-streams']?.restart !== 'no') problems.push('bus-streams: should not restart (a one-shot)');
    expect(problems).toEqual([]);
  });

  it('runs bus-keys once, from the Clarion image, with a script npm run build compiles into dist', () => {
    const spec = composeServices['bus-keys'] ?? {};
    const build = (spec.build ?? {}) as Dict;
    const { script } = busKeysCommand();
    const problems: string[] = [];
    if (String(build.context ?? '') !== '.' || String(build.dockerfile ?? 'Dockerfile') !== 'Dockerfile') problems.push('bus-keys: not built from the Dockerfile');
    if (!(SERVICES as string[]).includes(String((build.args as Dict | undefined)?.SERVICE))) problems.push('bus-keys: build.args.SERVICE names no Clarion service');
    const source = /^dist\/(scripts\/[a-z-]+)\.js$/.exec(script)?.[1];
    if (!source || !existsSync(join(root, `${source}.ts`))) problems.push(`bus-keys: runs ${script}, which no scripts/*.ts compiles to`);
    if (!/^COPY\s+scripts\s/m.test(readFileSync(join(root, 'Dockerfile'), 'utf8'))) problems.push('Dockerfile: does not copy scripts/ into the build, so dist has no scripts');
    if (spec.restart !== 'no') problems.push(`bus-keys: restart is ${JSON.stringify(spec.restart)}, expected "no" (a one-shot)`);
    if (dependsOn('nats')['bus-keys'] !== 'service_completed_successfully') problems.push('nats: does not wait for bus-keys to complete');
    expect(problems).toEqual([]);
  });

  it('gives each service’s folder to the user the services run as (node, uid 1000)', () => {
    const { args } = busKeysCommand();
    expect(args[args.indexOf('--owner') + 1]).toBe('1000:1000');
    const users = dockerfileInstructions().filter((i) => i.keyword === 'USER');
    expect(users[users.length - 1]?.args).toBe('node');
  });

  it('runs NATS from the generated configuration only, on a persistent, encrypted JetStream store', () => {
    const nats = composeServices.nats ?? {};
    const command = ((nats.command ?? []) as unknown[]).map(String);
    expect(command).toEqual(['-c', expect.any(String)]);
    expect(writtenFile('nats', command[1])).toBe(bus.serverConfigFile);
    const config = serverConfig();
    const jetstream = config.jetstream as Dict;
    const problems: string[] = [];
    const store = mountsOf('nats').find((m) => String(jetstream.store_dir) === m.target || String(jetstream.store_dir).startsWith(`${m.target}/`));
    if (!store || store.readOnly || store.source.startsWith('bus-')) problems.push(`nats: JetStream's store ${jetstream.store_dir} is not on a volume of its own`);
    if (!['aes', 'chachapoly'].includes(String(jetstream.cipher)) || !jetstream.key) problems.push('nats: JetStream store not encrypted at rest');
    if (config.host !== '0.0.0.0' || config.port !== 4222) problems.push(`nats: listens on ${config.host}:${config.port}, expected 0.0.0.0:4222 in its container`);
    const healthcheck = ((nats.healthcheck as Dict | undefined)?.test ?? []) as string[];
    if (!healthcheck.some((part) => part === `http://${config.http}/healthz`)) problems.push(`nats: healthcheck does not ask the monitoring port ${config.http}`);
    if (nats.ports) problems.push('nats: publishes ports on the host (monitoring shows who is connected; clients stay in the compose network)');
    expect(problems).toEqual([]);
  });

  it('runs NATS with no anonymous access: NKey users only, nothing without a key', () => {
    const config = serverConfig();
    const authorization = (config.authorization ?? {}) as Dict;
    const users = (authorization.users ?? []) as Dict[];
    const problems: string[] = [];
    if (users.length === 0) problems.push('nats: no users, so anyone connects');
    for (const user of users) {
      if (!/^U[A-Z2-7]{55}$/.test(String(user.nkey))) problems.push(`nats: a user without an NKey: ${JSON.stringify(user)}`);
      if ('user' in user || 'password' in user) problems.push(`nats: a user signs in with a password: ${JSON.stringify(user)}`);
    }
    for (const key of ['no_auth_user', 'accounts', 'operator', 'resolver']) if (key in config) problems.push(`nats: configuration sets ${key}`);
    for (const key of ['user', 'password', 'token']) if (key in authorization) problems.push(`nats: authorization sets a shared ${key}`);
    expect(problems).toEqual([]);
  });

  it('gives each service in the NATS configuration exactly the permissions of the contracts’ table, the operator its own, and no one else a user', () => {
    const users = ((serverConfig().authorization as Dict).users ?? []) as { nkey: string; permissions: Dict }[];
    const expected = [
      ...SERVICES.map((service) => ({ who: service, nkey: bus.keys.publicKeys[service], table: natsPermissions(service) })),
      { who: 'operator', nkey: bus.keys.operator.publicKey, table: streamOperatorPermissions },
    ];
    expect(users.map((user) => user.nkey).sort()).toEqual(expected.map((entry) => entry.nkey).sort());
    for (const { who, nkey, table } of expected) {
      const user = users.find((u) => u.nkey === nkey);
      expect({ who, permissions: user?.permissions }).toEqual({ who, permissions: { publish: { allow: table.publish }, subscribe: { allow: table.subscribe } } });
    }
  });

  it.each(SERVICES)('%s: signs in to NATS with its own seed, from a volume only it and bus-keys mount', (service) => {
    const env = environmentOf(service);
    const problems: string[] = [];
    const seedFile = writtenFile(service, String(env.NATS_NKEY_SEED_FILE));
    const keysFile = writtenFile(service, String(env.BUS_PUBLIC_KEYS_FILE));
    if (!seedFile || !existsSync(seedFile)) problems.push(`${service}: NATS_NKEY_SEED_FILE ${env.NATS_NKEY_SEED_FILE} is not a file bus-keys writes`);
    else if (publicKeyOfSeed(readFileSync(seedFile, 'utf8').trim()) !== bus.keys.publicKeys[service]) problems.push(`${service}: its seed is not the key NATS knows it by`);
    if (!keysFile || !existsSync(keysFile) || readFileSync(keysFile, 'utf8') !== JSON.stringify(bus.keys.publicKeys, null, 2) + '\n') {
      problems.push(`${service}: BUS_PUBLIC_KEYS_FILE ${env.BUS_PUBLIC_KEYS_FILE} does not hold every service's public key`);
    }
    const busMounts = mountsOf(service).filter((m) => mountsOf('bus-keys').some((w) => w.source === m.source));
    if (busMounts.length !== 1 || !busMounts[0].readOnly) problems.push(`${service}: should mount exactly one of bus-keys' volumes, read-only (got ${JSON.stringify(busMounts)})`);
    for (const mount of busMounts) {
      const others = Object.keys(composeServices).filter((other) => other !== service && other !== 'bus-keys' && mountsOf(other).some((m) => m.source === mount.source));
      if (others.length > 0) problems.push(`${service}: its volume ${mount.source} (its seed) is mounted by ${others.join(', ')} too`);
      const folder = writtenFile(service, mount.target);
      const seeds = folder ? readdirSync(folder).filter((file) => file.endsWith('.nk')) : [];
      if (seeds.join() !== `${service}.nk`) problems.push(`${service}: its folder holds the seeds ${seeds.join(', ') || 'none'}, expected only its own`);
    }
    expect(problems).toEqual([]);
  });

  it('gives delivery alone the sender-secrets private key bus-keys writes, and gateway and subscriptions its public key', () => {
    const problems: string[] = [];
    const keyFile = writtenFile('delivery', String(environmentOf('delivery').SENDER_SECRETS_KEY_FILE));
    if (keyFile !== bus.senderSecretsKeyFile) problems.push(`delivery: SENDER_SECRETS_KEY_FILE is not the key bus-keys writes into its folder`);
    for (const service of SERVICES.filter((s) => s !== 'delivery')) {
      if (environmentOf(service).SENDER_SECRETS_KEY_FILE !== undefined) problems.push(`${service}: is given delivery's private key`);
    }
    for (const service of ['gateway', 'subscriptions']) {
      if (!/^\$\{CLARION_SENDER_SECRETS_PUBLIC_KEY:\?/.test(String(rawEnvironmentOf(service).SENDER_SECRETS_PUBLIC_KEY))) {
        problems.push(`${service}: SENDER_SECRETS_PUBLIC_KEY should come from .env (CLARION_SENDER_SECRETS_PUBLIC_KEY), as bus-keys prints it`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the NATS configuration (which holds the store key) to nats and bus-keys', () => {
    const volume = mountsOf('nats').find((m) => m.target === String((composeServices.nats.command as string[])[1]).replace(/\/[^/]+$/, ''))?.source;
    expect(volume).toBeDefined();
    expect(Object.keys(composeServices).filter((service) => mountsOf(service).some((m) => m.source === volume)).sort()).toEqual(['bus-keys', 'nats']);
  });

  it('pins every image to a version, NATS to the minor version of the embedded server the tests run', () => {
    const images = Object.entries(composeServices)
      .filter(([, spec]) => spec.image)
      .map(([service, spec]) => [service, String(spec.image)]);
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect(images.filter(([, image]) => !/:v?\d+\.\d+\.\d+(-[a-z0-9.]+)?$/.test(image))).toEqual([]);
    const embedded = /github\.com\/nats-io\/nats-server\/v2 v(\d+\.\d+)\./.exec(readFileSync(join(root, 'infra/tools/nats-server/go.mod'), 'utf8'))?.[1];
    expect(embedded).toBeDefined();
    expect(/^nats:(\d+\.\d+)\./.exec(String(composeServices.nats?.image))?.[1]).toBe(embedded);
  });

  it('runs MongoDB with authentication: a root user whose password comes from .env, and no published port', () => {
    const env = rawEnvironmentOf('mongo');
    expect(env.MONGO_INITDB_ROOT_USERNAME).toBeTruthy();
    expect(env.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{CLARION_[A-Z_]+:\?[^}]*\}$/);
    expect(composeServices.mongo?.ports).toBeUndefined();
  });

  describe('MongoDB init script', () => {
    /** Runs each script the mongo image would run on a fresh volume, with a stand-in `db` that records createUser. */
    function runInitScripts(env: Record<string, string | null>): { database: string; user: string; pwd: string; roles: unknown }[] {
      const mount = mountsOf('mongo').find((m) => m.target === '/docker-entrypoint-initdb.d');
      if (!mount) throw new Error('mongo: no folder mounted on /docker-entrypoint-initdb.d');
      const folder = join(root, mount.source);
      const created: { database: string; user: string; pwd: string; roles: unknown }[] = [];
      const db = {
        getSiblingDB: (database: string) => ({
          createUser: (spec: { user: string; pwd: string; roles: unknown }) => created.push({ database, ...spec }),
        }),
      };
      for (const file of readdirSync(folder).filter((name) => name.endsWith('.js')).sort()) {
        runInNewContext(readFileSync(join(folder, file), 'utf8'), { db, process: { env } }, { filename: file });
      }
      return created;
    }

    it('makes one user per service, in its own database, with readWrite there only — the user and password of its MONGO_URL', () => {
      expect(mountsOf('mongo').find((m) => m.target === '/docker-entrypoint-initdb.d')?.readOnly).toBe(true);
      const created = runInitScripts(environmentOf('mongo'));
      const problems: string[] = [];
      for (const service of WITH_DATABASE) {
        const url = new URL(String(environmentOf(service).MONGO_URL));
        const database = url.pathname.replace(/^\//, '');
        const user = decodeURIComponent(url.username);
        const authSource = url.searchParams.get('authSource');
        if (authSource !== database) problems.push(`${service}: MONGO_URL authSource is ${authSource}, expected its own database ${database}`);
        const made = created.filter((entry) => entry.database === authSource && entry.user === user);
        if (made.length !== 1) problems.push(`${service}: the init script makes ${made.length} user(s) ${user} in ${authSource}, expected 1`);
        else {
          if (made[0].pwd !== decodeURIComponent(url.password) || !made[0].pwd) problems.push(`${service}: MONGO_URL's password is not its user's`);
          if (JSON.stringify(made[0].roles) !== JSON.stringify([{ role: 'readWrite', db: database }])) {
            problems.push(`${service}: its user's roles are ${JSON.stringify(made[0].roles)}, expected readWrite on ${database} only`);
          }
        }
      }
      if (created.length !== WITH_DATABASE.length) problems.push(`the init script makes ${created.length} users, expected one per service with a database`);
      const users = WITH_DATABASE.map((service) => new URL(String(environmentOf(service).MONGO_URL)).username);
      if (new Set(users).size !== users.length) problems.push(`services share a MongoDB user: ${users.join(', ')}`);
      expect(problems).toEqual([]);
    });

    it('refuses to run when a service’s password is missing, rather than make a user without one', () => {
      const env = environmentOf('mongo');
      const [first] = Object.keys(env).filter((key) => /^MONGO_[A-Z]+_PASSWORD$/.test(key));
      expect(() => runInitScripts({ ...env, [first]: '' })).toThrow(/is not set/);
    });
  });

  it('.env.example names every variable compose needs from .env, with no value filled in', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]));
    expect([...used].filter((name) => !(name in envExample))).toEqual([]);
    expect(Object.keys(envExample).filter((name) => !used.has(name))).toEqual([]);
    expect(Object.entries(envExample).filter(([, value]) => value !== '')).toEqual([]);
    // The filled-in .env stays out of git and out of the images' build context.
    for (const ignoreFile of ['.gitignore', '.dockerignore']) {
      expect({ ignoreFile, ignoresEnv: readFileSync(join(root, ignoreFile), 'utf8').split('\n').includes('.env') }).toEqual({ ignoreFile, ignoresEnv: true });
    }
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions();
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  const finalStage = instructions.slice(lastFrom + 1);

  it('builds and runs on node:20-bookworm-slim', () => {
    const bases = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(bases.every((base) => base === 'node:20-bookworm-slim')).toBe(true);
  });

  it('runs the final stage as a non-root user', () => {
    const users = finalStage.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
  });

  it('takes SERVICE as a build arg and execs node on that service', () => {
    expect(finalStage.some((i) => i.keyword === 'ARG' && /^SERVICE\b/.test(i.args))).toBe(true);
    expect(finalStage.some((i) => i.keyword === 'ENV' && /\bSERVICE=\$\{?SERVICE\}?/.test(i.args))).toBe(true);
    expect(finalStage.some((i) => i.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(i.args))).toBe(true);
    const cmds = finalStage.filter((i) => i.keyword === 'CMD');
    expect(cmds.length).toBeGreaterThan(0);
    const cmd = JSON.parse(cmds[cmds.length - 1].args) as string[];
    expect(cmd).toEqual(['sh', '-c', 'exec node dist/apps/${SERVICE}/src/main.js']);
  });

  it('checks health on /health/live', () => {
    const healthchecks = finalStage.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0].args).toContain('/health/live');
    expect(healthchecks[0].args).toContain('HTTP_PORT');
  });
});
