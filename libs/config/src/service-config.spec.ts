import { testBusEnv } from '@clarion/testing';
import { ConfigError, loadConfig } from './load-config';
import { deliveryConfigSchema, serviceConfigSchemas } from './service-config';

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
    for (const schema of [serviceConfigSchemas.subscriptions, serviceConfigSchemas.delivery]) {
      const config = loadConfig(schema, testBusEnv());
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
    for (const schema of Object.values(serviceConfigSchemas)) {
      expect(loadConfig(schema, { ...testBusEnv(), NODE_EXTRA_CA_CERTS: __filename }).NODE_EXTRA_CA_CERTS).toBe(__filename);
      expect(() => loadConfig(schema, { ...testBusEnv(), NODE_EXTRA_CA_CERTS: '/no/such/ca.pem' })).toThrow(
        'invalid configuration: NODE_EXTRA_CA_CERTS must be a readable file (got "/no/such/ca.pem")',
      );
    }
  });
});
