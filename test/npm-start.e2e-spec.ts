import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortOpen, repoRoot } from '@clarion/infra';
import { SmtpSink } from '@clarion/sinks';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, subscribe } from './support/directory-fixture';

const PUBLIC_BASE_URL = 'https://alerts.launcher-rights.example';
const MAIL_FROM = 'alerts@launcher-rights.example';

/** `npm start` as a person runs it: the compiled launcher as a child process, its output kept. */
interface Launcher {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launcher {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/scripts/up.js')], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Three free ports in a row, for SERVICE_PORT_BASE (alerts, subscriptions, delivery). */
async function freePortRun(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base + 2 <= 65535 && !(await isPortOpen(base + 1)) && !(await isPortOpen(base + 2))) return base;
  }
}

/** Every port the launcher would otherwise take at its default, so a developer's own `npm start` is left alone. */
async function launcherPorts(): Promise<Record<string, string>> {
  return {
    EMBEDDED_NATS_PORT: String(await freePort()),
    EMBEDDED_MONGO_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    SERVICE_PORT_BASE: String(await freePortRun()),
    PUSH_SERVICE_PORT: String(await freePort()),
    SMS_PROVIDER_PORT: String(await freePort()),
    SMTP_SINK_PORT: String(await freePort()),
    SMTP_SINK_HTTP_PORT: String(await freePort()),
  };
}

/**
 * `npm start` passes every variable a service's configuration
 * knows on to that service, says where mail really goes, and with an https
 * PUBLIC_BASE_URL sends mail whose every link, List-Unsubscribe included,
 * is https. Its own data folder and ports, so nothing of a developer's
 * running network is touched.
 */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clarion-npm-start-'));
  let sink: SmtpSink;
  let launcher: Launcher;
  let ports: Record<string, string>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    ports = await launcherPorts();
    launcher = launch({
      ...ports,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SMTP_URL: `smtp://relay-user:relay-secret@127.0.0.1:${sink.smtpPort}`,
      PUBLIC_BASE_URL,
      MAIL_FROM,
    });
    await Promise.race([
      eventually('the launcher’s banner', async () => (launcher.output().includes('Clarion is up:') ? true : undefined), 150_000),
      launcher.exited.then((code) => {
        throw new Error(`the launcher exited (${code}):\n${launcher.output()}`);
      }),
    ]);
  }, 180_000);

  afterAll(async () => {
    if (launcher?.child.exitCode === null) {
      launcher.child.kill('SIGTERM');
      await launcher.exited;
    }
    await sink?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('names where mail and links really go in its banner: the SMTP server given, without its password, and no sink', () => {
    const banner = launcher.output();
    expect(banner).toContain(`mail             smtp://127.0.0.1:${sink.smtpPort}   (SMTP_URL), from ${MAIL_FROM} (MAIL_FROM)`);
    expect(banner).toContain(`links            ${PUBLIC_BASE_URL}   (PUBLIC_BASE_URL`);
    expect(banner).not.toContain('relay-secret');
    expect(banner).not.toMatch(/SMTP sink/i);
    expect(banner).toContain(`sms              the local SMS provider http://127.0.0.1:${ports.SMS_PROVIDER_PORT}   texts: `);
  });

  it('prints the first admin’s one-time console sign-in link, which signs in once', async () => {
    const link = new RegExp(`first admin sign-in \\(shown once[^\\n]*admin@clarion\\.local\\):\\n    ${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/console/sign-in#token=(clr_[A-Za-z0-9_-]{43})\\n`).exec(launcher.output());
    expect(link).not.toBeNull();
    const signIn = () => fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/api/v1/auth/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link![1] }),
      signal: AbortSignal.timeout(10_000),
    });
    const first = await signIn();
    expect(first.status).toBe(201);
    expect(((await first.json()) as { account: { email: string; grant: unknown } }).account).toMatchObject({ email: 'admin@clarion.local', grant: { role: 'admin' } });
    expect((await signIn()).status).toBe(401);
  });

  it('sends mail from MAIL_FROM whose List-Unsubscribe and every link are https on PUBLIC_BASE_URL', async () => {
    const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    const admin = new Api(gateway, readFileSync(join(dataDir, 'admin-token'), 'utf8').trim());
    const coalition = await createCoalition(admin);
    const org = await createOrg(admin, 'Launcher Rights');
    await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    const csv = 'email,language,topics,consent_at,consent_source\nreader@example.org,en,,2026-01-15,Paper petition';
    expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/import`, { csv }), 200);
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);

    const message = await eventually('the alert at the SMTP server given', async () => sink.messages().find((m) => m.to.includes('reader@example.org')), 30_000);
    expect(message.from).toEqual({ name: 'Launcher Rights', address: MAIL_FROM });
    expect(message.headers['list-unsubscribe']).toMatch(new RegExp(`^<${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/u/[^>]+>$`));
    expect(message.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const links = [...message.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !link.startsWith(`${PUBLIC_BASE_URL}/`))).toEqual([]);
  });
});

describe('npm start with a PUBLIC_BASE_URL that is not https', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clarion-npm-start-http-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start, naming the variable, and leaves nothing running', async () => {
    const ports = await launcherPorts();
    const launcher = launch({ ...ports, DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'http://alerts.launcher-rights.example' });
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toMatch(
      /clarion: failed to start: (subscriptions|delivery|gateway): invalid configuration: PUBLIC_BASE_URL must be an https URL .* \(got "http:\/\/alerts\.launcher-rights\.example"\)/,
    );
    for (const port of [ports.EMBEDDED_NATS_PORT, ports.EMBEDDED_MONGO_PORT, ports.GATEWAY_PORT, ports.PUSH_SERVICE_PORT, ports.SMS_PROVIDER_PORT]) {
      expect({ port, open: await isPortOpen(Number(port)) }).toEqual({ port, open: false });
    }
  }, 120_000);
});
