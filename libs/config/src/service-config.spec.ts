import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBusEnv } from '@clarion/testing';
import { ConfigError, loadConfig } from './load-config';
import { deliveryConfigSchema, gatewayConfigSchema, serviceConfigSchemas } from './service-config';

/** The delivery config from these variables, or the one-line error a failed boot prints. */
function delivery(env: Record<string, string>) {
  return loadConfig(deliveryConfigSchema, { ...testBusEnv(), ...env });
}

function problem(env: Record<string, string>): string {
  try {
    delivery(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('delivery send rate settings', () => {
  it('are unlimited unless set', () => {
    const config = delivery({});
    expect(config.ORG_SEND_RATE_PER_SEC).toBe(0);
    expect(config.PROVIDER_SEND_RATES).toEqual({});
    expect(delivery({ PROVIDER_SEND_RATES: '' }).PROVIDER_SEND_RATES).toEqual({});
  });

  it('reads an organisation rate and provider rates by mail domain, push host or origin, and *', () => {
    const config = delivery({
      ORG_SEND_RATE_PER_SEC: '20',
      PROVIDER_SEND_RATES: 'gmail.com=100, FCM.googleapis.com=500,https://web.push.apple.com=50,127.0.0.1:8090=5,*=0',
    });
    expect(config.ORG_SEND_RATE_PER_SEC).toBe(20);
    expect(config.PROVIDER_SEND_RATES).toEqual({
      'gmail.com': 100,
      'fcm.googleapis.com': 500,
      'web.push.apple.com': 50,
      '127.0.0.1:8090': 5,
      '*': 0,
    });
  });

  it('refuses a rate that is not a whole number of sends per second, naming the variable', () => {
    expect(problem({ ORG_SEND_RATE_PER_SEC: 'fast' })).toBe(
      'invalid configuration: ORG_SEND_RATE_PER_SEC must be a whole number of sends per second (0: unlimited) (got "fast")',
    );
    expect(problem({ ORG_SEND_RATE_PER_SEC: '-1' })).toMatch(/^invalid configuration: ORG_SEND_RATE_PER_SEC must be 0 \(unlimited\) or more/);
    expect(problem({ ORG_SEND_RATE_PER_SEC: '2.5' })).toMatch(/^invalid configuration: ORG_SEND_RATE_PER_SEC must be a whole number/);
  });

  it('refuses a provider list it cannot read, naming the variable and the bad pair', () => {
    const format = 'must be provider=rate pairs separated by commas, e.g. gmail.com=100,fcm.googleapis.com=500,*=0';
    expect(problem({ PROVIDER_SEND_RATES: 'gmail.com' })).toBe(
      `invalid configuration: PROVIDER_SEND_RATES ${format}; "gmail.com" has no =rate (got "gmail.com")`,
    );
    expect(problem({ PROVIDER_SEND_RATES: 'gmail.com=lots' })).toContain(
      'PROVIDER_SEND_RATES must be provider=rate pairs separated by commas, e.g. gmail.com=100,fcm.googleapis.com=500,*=0; the rate of gmail.com must be a whole number',
    );
    expect(problem({ PROVIDER_SEND_RATES: 'gmail.com=-5' })).toContain('PROVIDER_SEND_RATES');
    expect(problem({ PROVIDER_SEND_RATES: 'gmail com=5' })).toContain('PROVIDER_SEND_RATES must be provider=rate pairs');
    expect(problem({ PROVIDER_SEND_RATES: 'gmail com=5' })).toContain('"gmail com" is not a mail domain, a push service host or *');
    expect(problem({ PROVIDER_SEND_RATES: 'gmail.com=5,GMAIL.com=6' })).toContain('gmail.com is named twice');
  });
});

describe('gateway client settings', () => {
  const gateway = (env: Record<string, string>) => loadConfig(gatewayConfigSchema, { ...testBusEnv('gateway'), ...env });
  const gatewayProblem = (env: Record<string, string>) => {
    try {
      gateway(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('the configuration was accepted');
  };

  it('trusts no proxy unless told, and limits public writes and the API per client by default', () => {
    expect(gateway({})).toMatchObject({ TRUSTED_PROXIES: [], PUBLIC_WRITES_PER_MINUTE: 20, API_REQUESTS_PER_MINUTE: 3_000 });
    expect(gateway({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,2001:db8::/32, 192.0.2.7', PUBLIC_WRITES_PER_MINUTE: '0' })).toMatchObject({
      TRUSTED_PROXIES: ['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
      PUBLIC_WRITES_PER_MINUTE: 0,
    });
  });

  it('refuses a proxy that is not an address, range or Express name, naming it', () => {
    expect(gatewayProblem({ TRUSTED_PROXIES: '10.0.0.0/8,proxy.example' })).toMatch(/TRUSTED_PROXIES .*"proxy\.example" is not one/);
    expect(gatewayProblem({ TRUSTED_PROXIES: '10.0.0.0/33' })).toMatch(/TRUSTED_PROXIES/);
    expect(gatewayProblem({ PUBLIC_WRITES_PER_MINUTE: '-1' })).toMatch(/PUBLIC_WRITES_PER_MINUTE/);
  });

  it('watches the services’ readiness every half second unless told, and refuses a pause that is not a positive number of ms', () => {
    expect(gateway({}).READINESS_WATCH_MS).toBe(500);
    expect(gateway({ READINESS_WATCH_MS: '2000' }).READINESS_WATCH_MS).toBe(2_000);
    for (const bad of ['0', '-500', 'soon']) expect(gatewayProblem({ READINESS_WATCH_MS: bad })).toMatch(/READINESS_WATCH_MS/);
  });
});

describe('sender secrets keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-config-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const configProblem = (service: 'gateway' | 'subscriptions' | 'delivery', env: Record<string, string>) => {
    try {
      loadConfig(serviceConfigSchemas[service], { ...testBusEnv(service), ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('the configuration was accepted');
  };

  it('gives delivery its private key file’s text, and the gateway and subscriptions the public key', () => {
    const pair = generateKeyPairSync('x25519');
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(delivery({ SENDER_SECRETS_KEY_FILE: file('ok.pem', pem) }).SENDER_SECRETS_KEY_FILE).toBe(pem);
    const publicKey = pair.publicKey.export({ format: 'jwk' }).x as string;
    for (const service of ['gateway', 'subscriptions'] as const) {
      expect(loadConfig(serviceConfigSchemas[service], { ...testBusEnv(service), SENDER_SECRETS_PUBLIC_KEY: ` ${publicKey}\n` }).SENDER_SECRETS_PUBLIC_KEY).toBe(publicKey);
    }
  });

  it('refuses a delivery key file it cannot use, saying what it must hold', () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const must = "SENDER_SECRETS_KEY_FILE must be a readable file holding delivery's X25519 private key in PEM";
    expect(problem({ SENDER_SECRETS_KEY_FILE: join(dir, 'missing.pem') })).toContain(`${must}`);
    expect(problem({ SENDER_SECRETS_KEY_FILE: join(dir, 'missing.pem') })).toContain('cannot read');
    expect(problem({ SENDER_SECRETS_KEY_FILE: file('empty.pem', 'nothing here') })).toContain('holds no PEM private key');
    expect(problem({ SENDER_SECRETS_KEY_FILE: file('ed.pem', ed25519) })).toContain('holds a ed25519 key, not X25519');
    expect(problem({ SENDER_SECRETS_KEY_FILE: file('bad.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n') })).toContain(
      'cannot be read',
    );
    const { SENDER_SECRETS_KEY_FILE: _none, ...withoutKey } = testBusEnv('delivery');
    expect(() => loadConfig(deliveryConfigSchema, withoutKey)).toThrow(
      "invalid configuration: SENDER_SECRETS_KEY_FILE must name the file holding delivery's X25519 private key for sender secrets, PEM",
    );
  });

  it('refuses a public key that is not an X25519 key in base64url, for the gateway and subscriptions alike', () => {
    for (const service of ['gateway', 'subscriptions'] as const) {
      for (const bad of ['', 'not-a-key', 'A'.repeat(44), '-----BEGIN PUBLIC KEY-----']) {
        expect(configProblem(service, { SENDER_SECRETS_PUBLIC_KEY: bad })).toMatch(
          /^invalid configuration: SENDER_SECRETS_PUBLIC_KEY must be delivery's X25519 public key for sender secrets: 43 base64url characters/,
        );
      }
    }
  });
});

describe('MONGO_URL', () => {
  it('takes the embedded FerretDB’s Unix socket (a percent-encoded path ending in .sock) with a database', () => {
    const url = `mongodb://${encodeURIComponent('/home/clarion/.data/ferretdb/socket/ferretdb.sock')}/clarion_delivery`;
    expect(delivery({ MONGO_URL: url }).MONGO_URL).toBe(url);
  });

  it('passes a user, authSource and TLS options through to the driver unchanged', () => {
    const url = 'mongodb://delivery:s3cret@mongo:27017/clarion_delivery?authSource=clarion_delivery&tls=true&tlsCAFile=/run/secrets/mongo-ca.pem';
    expect(delivery({ MONGO_URL: url }).MONGO_URL).toBe(url);
  });

  it('takes a replica set’s seed list, and refuses a list with an empty host', () => {
    const url = 'mongodb://delivery:s3cret@mongo-0.mongo:27017,mongo-1.mongo:27017,mongo-2.mongo:27017/clarion_delivery?replicaSet=rs0&authSource=clarion_delivery';
    expect(delivery({ MONGO_URL: url }).MONGO_URL).toBe(url);
    expect(problem({ MONGO_URL: 'mongodb://mongo-0:27017,,mongo-2:27017/clarion_delivery' })).toMatch(/^invalid configuration: MONGO_URL must be a mongodb/);
  });

  it('refuses a URL without a database, naming the variable', () => {
    expect(problem({ MONGO_URL: `mongodb://${encodeURIComponent('/tmp/ferretdb.sock')}` })).toMatch(/^invalid configuration: MONGO_URL must name a database/);
  });
});

describe('PUBLIC_BASE_URL', () => {
  const withPublicUrl = ['gateway', 'subscriptions', 'delivery'] as const;
  const refusal = (service: (typeof withPublicUrl)[number], value: string) => {
    try {
      loadConfig(serviceConfigSchemas[service], { ...testBusEnv(service), PUBLIC_BASE_URL: value });
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return undefined;
  };

  it('takes https anywhere, and plain http only for a gateway on this machine', () => {
    for (const service of withPublicUrl) {
      for (const ok of ['https://alerts.rights.example', 'https://10.0.0.5:8443/clarion', 'http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
        expect({ service, ok, problem: refusal(service, ok) }).toEqual({ service, ok, problem: undefined });
      }
    }
  });

  it('refuses http on any other host at start, naming the variable, in every service that makes links', () => {
    for (const service of withPublicUrl) {
      for (const bad of ['http://alerts.rights.example', 'http://10.0.0.5:3000', 'http://localhost.rights.example']) {
        expect(refusal(service, bad)).toBe(
          `invalid configuration: PUBLIC_BASE_URL must be an https URL (links in messages, RFC 8058 one-click unsubscribe and web push need it); plain http only for a gateway on this machine (localhost, 127.0.0.1, [::1]) (got "${bad}")`,
        );
      }
    }
  });
});

describe('where organisations’ settings may make delivery connect', () => {
  it('allows SMTP ports 25, 465, 587 and 2525 and nothing on the allow-list unless told, in subscriptions and delivery alike', () => {
    for (const service of ['subscriptions', 'delivery'] as const) {
      const config = loadConfig(serviceConfigSchemas[service], testBusEnv(service));
      expect(config.SMTP_PORTS).toEqual([25, 465, 587, 2525]);
      expect(config.OUTBOUND_ALLOW_LIST).toEqual([]);
    }
  });

  it('reads SMTP_PORTS and OUTBOUND_ALLOW_LIST', () => {
    const config = delivery({ SMTP_PORTS: '25, 587,2587', OUTBOUND_ALLOW_LIST: 'smtp://relay.internal:25, smtps://10.1.2.3:465,https://push.internal:8443' });
    expect(config.SMTP_PORTS).toEqual([25, 587, 2587]);
    expect(config.OUTBOUND_ALLOW_LIST).toEqual(['smtp://relay.internal:25', 'smtps://10.1.2.3:465', 'https://push.internal:8443']);
  });

  it('refuses entries it cannot use, naming the variable and the entry', () => {
    expect(problem({ SMTP_PORTS: '25,smtp' })).toMatch(/^invalid configuration: SMTP_PORTS\.1 must be port numbers separated by commas/);
    expect(problem({ SMTP_PORTS: '70000' })).toMatch(/^invalid configuration: SMTP_PORTS\.0 must be port numbers from 1 to 65535/);
    for (const entry of ['http://push.internal', 'smtp://user:pw@relay.internal:25', 'smtp://relay.internal:25/?proxy=x', 'relay.internal:25', 'nats://127.0.0.1:4222']) {
      expect(problem({ OUTBOUND_ALLOW_LIST: `https://push.internal:8443,${entry}` })).toContain(
        `OUTBOUND_ALLOW_LIST must be smtp://host:port, smtps://host:port or https://host:port entries separated by commas, without a path, query or credentials; "${entry}" is not one`,
      );
    }
  });
});

describe('NODE_EXTRA_CA_CERTS', () => {
  it('must name a readable file in every service, so a typo stops the boot instead of a TLS error later', () => {
    for (const [service, schema] of Object.entries(serviceConfigSchemas) as [keyof typeof serviceConfigSchemas, (typeof serviceConfigSchemas)[keyof typeof serviceConfigSchemas]][]) {
      expect(loadConfig(schema, { ...testBusEnv(service), NODE_EXTRA_CA_CERTS: __filename }).NODE_EXTRA_CA_CERTS).toBe(__filename);
      expect(() => loadConfig(schema, { ...testBusEnv(service), NODE_EXTRA_CA_CERTS: '/no/such/ca.pem' })).toThrow(
        'invalid configuration: NODE_EXTRA_CA_CERTS must be a readable file (got "/no/such/ca.pem")',
      );
    }
  });
});
