import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_SERVICES, type BusService } from '@clarion/contracts';
import { newBusKeyPair, newSealingKeyPair, publicKeyOfSeed, sealingPublicKeyOf } from '@clarion/security';

/**
 * The bus's secrets for one installation, kept in a folder only its owner can
 * read (mode 700, files 600) and reused on every start: one NKey seed per
 * service, the public keys every service checks callers against, the key
 * JetStream encrypts its store with, and delivery's key pair for sender
 * secrets (docs/decisions/0020). Made on first use.
 */
export interface BusKeys {
  dir: string;
  seeds: Record<BusService, string>;
  publicKeys: Record<BusService, string>;
  /** This service's seed file: its NATS_NKEY_SEED_FILE. */
  seedFile(service: BusService): string;
  /** Every service's public key as JSON: BUS_PUBLIC_KEYS_FILE. */
  publicKeysFile: string;
  /** JetStream's encryption key for its files at rest. */
  storeKey: string;
  /** The password cluster routes authenticate with. */
  routePassword: string;
  /** The launcher's own NKey, which alone may change a stream's configuration (streamOperatorPermissions). */
  operator: { seed: string; publicKey: string };
  /** Delivery's X25519 private key (PEM) for opening sender secrets: its SENDER_SECRETS_KEY_FILE. */
  senderSecretsKeyFile: string;
  /** Its public key (base64url), with which the gateway and subscriptions seal: their SENDER_SECRETS_PUBLIC_KEY. */
  senderSecretsPublicKey: string;
}

/** A secret read from `file`, or made, written there (mode 600) and returned. */
export function keptSecret(file: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

export function ensureBusKeys(dir: string): BusKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const seedFile = (service: BusService) => join(dir, `${service}.nk`);
  const seeds = {} as Record<BusService, string>;
  const publicKeys = {} as Record<BusService, string>;
  for (const service of BUS_SERVICES) {
    seeds[service] = keptSecret(seedFile(service), () => newBusKeyPair().seed).value;
    publicKeys[service] = publicKeyOfSeed(seeds[service]);
  }
  const publicKeysFile = join(dir, 'public-keys.json');
  writeFileSync(publicKeysFile, `${JSON.stringify(publicKeys, null, 2)}\n`, { mode: 0o644 });
  const senderSecretsKeyFile = join(dir, 'sender-secrets.pem');
  const senderSecretsPublicKey = sealingPublicKeyOf(keptSecret(senderSecretsKeyFile, () => newSealingKeyPair().privateKeyPem.trim()).value);
  // For whoever runs the gateway and subscriptions elsewhere: the public half, nothing secret.
  writeFileSync(join(dir, 'sender-secrets.pub'), `${senderSecretsPublicKey}\n`, { mode: 0o644 });
  return {
    dir,
    seeds,
    publicKeys,
    seedFile,
    publicKeysFile,
    storeKey: keptSecret(join(dir, 'jetstream-store.key'), () => randomBytes(32).toString('base64url')).value,
    routePassword: keptSecret(join(dir, 'cluster-route.password'), () => randomBytes(24).toString('base64url')).value,
    operator: operatorKey(join(dir, 'operator.nk')),
    senderSecretsKeyFile,
    senderSecretsPublicKey,
  };
}

function operatorKey(file: string): { seed: string; publicKey: string } {
  const seed = keptSecret(file, () => newBusKeyPair().seed).value;
  return { seed, publicKey: publicKeyOfSeed(seed) };
}

/** The settings a service process needs to join the bus (with NATS_URL), and what it needs of the sender-secrets key pair. */
export function busEnv(keys: BusKeys, service: BusService): NodeJS.ProcessEnv {
  const bus = { NATS_NKEY_SEED_FILE: keys.seedFile(service), BUS_PUBLIC_KEYS_FILE: keys.publicKeysFile };
  switch (service) {
    case 'delivery':
      return { ...bus, SENDER_SECRETS_KEY_FILE: keys.senderSecretsKeyFile };
    case 'gateway':
    case 'subscriptions':
      return { ...bus, SENDER_SECRETS_PUBLIC_KEY: keys.senderSecretsPublicKey };
    case 'alerts':
      return bus;
  }
}
