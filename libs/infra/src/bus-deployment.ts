import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUS_SERVICES, type BusService } from '@clarion/contracts';
import { ensureBusKeys, type BusKeys } from './bus-keys';
import { clarionUsers, natsAuthorizationInclude, natsServerConfig, type NatsTls } from './nats-config';

/**
 * The bus of an installation outside `npm start` (docker-compose, or servers
 * of one's own): the NATS server's configuration generated from the contracts'
 * table, and for each service a folder with only what it needs to sign in
 * (docs/decisions/0021). Written by `npm run nats:config` and by
 * docker-compose's one-shot `bus-keys` service:
 *
 *   <out>/keys/        the installation's bus secrets (every seed, the JetStream
 *                      store key, the route password), made once and reused
 *   <out>/nats/nats-server.conf
 *                      NKey users only, each with its permissions; JetStream
 *                      encrypted at rest; TLS when given (mode 600: it holds the store key)
 *   <out>/nats/authorization.conf
 *                      the same users alone, for a server whose configuration
 *                      is made elsewhere (the official NATS Helm chart includes
 *                      it: deploy/nats-values.yaml)
 *   <out>/<service>/   <service>.nk (its seed: NATS_NKEY_SEED_FILE) and
 *                      public-keys.json (BUS_PUBLIC_KEYS_FILE), mode 700/600,
 *                      so a host or container given one folder holds one identity;
 *                      delivery's also sender-secrets.pem (SENDER_SECRETS_KEY_FILE),
 *                      whose public key gateway and subscriptions are given
 *                      as SENDER_SECRETS_PUBLIC_KEY (docs/decisions/0020)
 *   <out>/operator/    operator.nk: the only NKey that may change a stream;
 *                      scripts/nats-streams applies the contracts' streams with
 *                      it before the services start (docs/decisions/0018)
 */
export interface BusDeploymentOptions {
  out: string;
  /** Where nats-server listens for clients (0.0.0.0 in a container). */
  host: string;
  port: number;
  /** JetStream's store folder, as nats-server sees it. */
  storeDir: string;
  /** Monitoring (`/healthz`) on 127.0.0.1 of the server's host, for its health check. */
  monitorPort?: number;
  tls?: NatsTls;
  /** Owner given to each service's folder and files (the uid:gid services run as), when written as root. */
  owner?: { uid: number; gid: number };
}

export interface BusDeployment {
  keys: BusKeys;
  serverConfigFile: string;
  /** Each service's folder, with `seedFile` and `publicKeysFile` inside. */
  services: Record<BusService, { dir: string; seedFile: string; publicKeysFile: string }>;
  /** `authorization: {…}` alone, to include into a server configuration made elsewhere (deploy/nats-values.yaml). */
  authorizationFile: string;
  /** Delivery's private key for sender secrets, in its folder; its public key is `keys.senderSecretsPublicKey`. */
  senderSecretsKeyFile: string;
  /** The operator's folder and seed file. */
  operator: { dir: string; seedFile: string };
}

export function writeBusDeployment(options: BusDeploymentOptions): BusDeployment {
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const keys = ensureBusKeys(join(out, 'keys'));
  const privateDir = (dir: string) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return dir;
  };

  const natsDir = privateDir(join(out, 'nats'));
  const serverConfigFile = join(natsDir, 'nats-server.conf');
  const config = natsServerConfig({
    host: options.host,
    port: options.port,
    storeDir: options.storeDir,
    users: clarionUsers(keys.publicKeys, keys.operator.publicKey),
    storeKey: keys.storeKey,
    monitorPort: options.monitorPort,
    tls: options.tls,
  });
  writeFileSync(serverConfigFile, config, { mode: 0o600 });
  chmodSync(serverConfigFile, 0o600);
  const authorizationFile = join(natsDir, 'authorization.conf');
  writeFileSync(authorizationFile, natsAuthorizationInclude(clarionUsers(keys.publicKeys, keys.operator.publicKey)), { mode: 0o600 });
  chmodSync(authorizationFile, 0o600);

  /** A folder holding one seed (and the public keys, for a service), given to `options.owner`. */
  const identity = (name: string, seed: string, withPublicKeys: boolean) => {
    const dir = privateDir(join(out, name));
    const seedFile = join(dir, `${name}.nk`);
    const publicKeysFile = join(dir, 'public-keys.json');
    writeFileSync(seedFile, `${seed}\n`, { mode: 0o600 });
    chmodSync(seedFile, 0o600);
    if (withPublicKeys) writeFileSync(publicKeysFile, `${JSON.stringify(keys.publicKeys, null, 2)}\n`, { mode: 0o644 });
    if (options.owner) for (const path of [dir, seedFile, ...(withPublicKeys ? [publicKeysFile] : [])]) chownSync(path, options.owner.uid, options.owner.gid);
    return { dir, seedFile, publicKeysFile };
  };
  const services = {} as BusDeployment['services'];
  for (const service of BUS_SERVICES) services[service] = identity(service, keys.seeds[service], true);
  const senderSecretsKeyFile = join(services.delivery.dir, 'sender-secrets.pem');
  writeFileSync(senderSecretsKeyFile, readFileSync(keys.senderSecretsKeyFile), { mode: 0o600 });
  chmodSync(senderSecretsKeyFile, 0o600);
  if (options.owner) chownSync(senderSecretsKeyFile, options.owner.uid, options.owner.gid);
  const { dir: operatorDir, seedFile: operatorSeedFile } = identity('operator', keys.operator.seed, false);
  return { keys, serverConfigFile, authorizationFile, services, senderSecretsKeyFile, operator: { dir: operatorDir, seedFile: operatorSeedFile } };
}

export const BUS_DEPLOYMENT_USAGE = `usage: nats-config --out <dir> [--host 0.0.0.0] [--port 4222] [--store-dir <dir>] [--monitor-port <port>]
                   [--tls-cert <file> --tls-key <file> [--tls-ca <file>]] [--owner <uid>:<gid>]`;

/** The command line of `npm run nats:config` and of docker-compose's bus-keys service; throws a message naming the bad option. */
export function parseBusDeploymentArgs(argv: string[]): BusDeploymentOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      host: { type: 'string', default: '0.0.0.0' },
      port: { type: 'string', default: '4222' },
      'store-dir': { type: 'string' },
      'monitor-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      owner: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.out) throw new Error('--out is required: the folder to write keys/, nats/ and one folder per service into');
  const portOf = (name: string, value: string) => {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--${name} must be a port number (got ${value})`);
    return port;
  };
  const [certFile, keyFile, caFile] = [values['tls-cert'], values['tls-key'], values['tls-ca']];
  if (!certFile !== !keyFile) throw new Error('--tls-cert and --tls-key go together');
  if (caFile && !certFile) throw new Error('--tls-ca needs --tls-cert and --tls-key (the server verifies clients with it)');
  let owner: BusDeploymentOptions['owner'];
  if (values.owner) {
    const match = /^(\d+):(\d+)$/.exec(values.owner);
    if (!match) throw new Error(`--owner must be <uid>:<gid>, e.g. 1000:1000 (got ${values.owner})`);
    owner = { uid: Number(match[1]), gid: Number(match[2]) };
  }
  return {
    out: values.out,
    host: values.host,
    port: portOf('port', values.port),
    storeDir: values['store-dir'] ?? join(resolve(values.out), 'jetstream'),
    monitorPort: values['monitor-port'] === undefined ? undefined : portOf('monitor-port', values['monitor-port']),
    tls: certFile && keyFile ? { certFile, keyFile, ...(caFile ? { caFile } : {}) } : undefined,
    owner,
  };
}
