import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, serviceConfigSchemas } from '@clarion/config';
import { SecretOpener, SecretSealer } from '@clarion/security';
import { busEnv, ensureBusKeys } from './bus-keys';

describe('bus keys: the sender-secrets key pair', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'clarion-bus-keys-')), 'bus');
  const keys = ensureBusKeys(dir);

  it('keeps the private key in a file only its owner reads, and the same pair on every start', () => {
    expect(statSync(keys.senderSecretsKeyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'sender-secrets.pub'), 'utf8').trim()).toBe(keys.senderSecretsPublicKey);
    const again = ensureBusKeys(dir);
    expect(again.senderSecretsPublicKey).toBe(keys.senderSecretsPublicKey);
    expect(readFileSync(again.senderSecretsKeyFile, 'utf8')).toBe(readFileSync(keys.senderSecretsKeyFile, 'utf8'));
  });

  it('gives the private key to delivery alone, the public key to the gateway and subscriptions, nothing to alerts', () => {
    expect(busEnv(keys, 'delivery')).toMatchObject({ SENDER_SECRETS_KEY_FILE: keys.senderSecretsKeyFile });
    expect(busEnv(keys, 'delivery').SENDER_SECRETS_PUBLIC_KEY).toBeUndefined();
    for (const service of ['gateway', 'subscriptions'] as const) {
      expect(busEnv(keys, service)).toMatchObject({ SENDER_SECRETS_PUBLIC_KEY: keys.senderSecretsPublicKey });
      expect(busEnv(keys, service).SENDER_SECRETS_KEY_FILE).toBeUndefined();
    }
    expect(Object.keys(busEnv(keys, 'alerts')).filter((name) => name.startsWith('SENDER_SECRETS'))).toEqual([]);
    const everything = JSON.stringify(['gateway', 'subscriptions', 'alerts'].map((s) => busEnv(keys, s as 'gateway')));
    expect(everything).not.toContain('PRIVATE KEY');
  });

  it('is what the services’ configurations read: what the gateway seals, delivery opens', () => {
    const gateway = loadConfig(serviceConfigSchemas.gateway, busEnv(keys, 'gateway'));
    const delivery = loadConfig(serviceConfigSchemas.delivery, busEnv(keys, 'delivery'));
    const sealed = new SecretSealer(gateway.SENDER_SECRETS_PUBLIC_KEY).seal('smtp password', 'clarion/smtp-password/x');
    expect(new SecretOpener(delivery.SENDER_SECRETS_KEY_FILE).open(sealed, 'clarion/smtp-password/x')).toBe('smtp password');
  });
});
