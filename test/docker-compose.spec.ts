import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { serviceConfigSchemas, type ServiceName } from '@clarion/config';

/**
 * docker-compose.yml and the Dockerfile cannot be run here, so this reads them
 * and checks them against the services' own config schemas: a renamed or
 * mistyped variable, a missing dependency or a root container fails this test
 * instead of a deployment. Each check collects every problem, naming the
 * service and variable, and expects that list to be empty.
 */

const root = join(__dirname, '..');
const SERVICES: ServiceName[] = ['gateway', 'alerts', 'subscriptions', 'delivery'];
const WITH_DATABASE: ServiceName[] = ['alerts', 'subscriptions', 'delivery'];

type Dict = Record<string, unknown>;

// `<<` merge keys are YAML 1.1; docker compose honours them, so the parser must too.
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Dict;
const composeServices = (compose.services ?? {}) as Record<string, Dict>;

function shapeOf(service: ServiceName): Record<string, z.ZodType> {
  return serviceConfigSchemas[service].shape as unknown as Record<string, z.ZodType>;
}

/** The environment as the process sees it: every value a string. `null` means "taken from the host". */
function environmentOf(service: string): Record<string, string | null> {
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

describe('docker-compose.yml', () => {
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
      for (const [key, value] of Object.entries(environmentOf(service))) {
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
    const result = serviceConfigSchemas[service].safeParse(environmentOf(service));
    const issues = result.success
      ? []
      : result.error.issues.map((issue) => {
          const variable = issue.path.map(String).join('.') || '(environment)';
          return `${service}: ${variable} ${issue.message} (got ${JSON.stringify(environmentOf(service)[variable])})`;
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

  it('runs NATS with JetStream on a persistent store', () => {
    const problems: string[] = [];
    const nats = composeServices.nats ?? {};
    const command = nats.command;
    const args = Array.isArray(command) ? command.map(String) : String(command ?? '').split(/\s+/);
    if (!args.some((arg) => arg === '-js' || arg === '--jetstream')) problems.push(`nats: command ${JSON.stringify(args)} does not enable JetStream (-js)`);
    const storeFlag = args.findIndex((arg) => arg === '-sd' || arg === '--store_dir');
    const storeDir = storeFlag === -1 ? undefined : args[storeFlag + 1];
    const volumes = ((nats.volumes ?? []) as unknown[]).map(String);
    if (!storeDir) problems.push('nats: command sets no JetStream store directory (-sd)');
    else if (!volumes.some((volume) => volume.split(':')[1] === storeDir)) problems.push(`nats: store directory ${storeDir} is not on a volume`);
    expect(problems).toEqual([]);
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
