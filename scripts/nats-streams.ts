import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyStreamConfiguration } from '@clarion/messaging';

const USAGE = `usage: nats-streams --url <nats://host:4222> --seed-file <operator.nk> [--replicas <n>]
                    [--tls-ca <file>] [--tls-cert <file> --tls-key <file>]`;

/**
 * `npm run nats:streams -- …`, and docker-compose's bus-streams service:
 * signs in as the operator (the seed `npm run nats:config` writes into
 * operator/) and brings every stream in line with the contracts, as
 * `npm start` does on the embedded server. Run it after nats-server is up and
 * before the services start, on every upgrade (docs/decisions/0018, 0021).
 */
async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        url: { type: 'string' },
        'seed-file': { type: 'string' },
        replicas: { type: 'string', default: '1' },
        'tls-ca': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
      },
      strict: true,
    }));
    if (!values.url || !values['seed-file']) throw new Error('--url and --seed-file are required');
    if (!/^[1-5]$/.test(values.replicas)) throw new Error(`--replicas must be 1 to 5 (got ${values.replicas})`);
    if (!values['tls-cert'] !== !values['tls-key']) throw new Error('--tls-cert and --tls-key go together');
  } catch (error) {
    console.error(`nats-streams: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const tlsGiven = values['tls-ca'] || values['tls-cert'];
  await applyStreamConfiguration({
    url: values.url,
    seed: readFileSync(values['seed-file'], 'utf8').trim(),
    replicas: Number(values.replicas),
    tls: tlsGiven ? { caFile: values['tls-ca'], certFile: values['tls-cert'], keyFile: values['tls-key'] } : undefined,
  });
  console.log(`nats-streams: every stream on ${values.url} matches the contracts`);
}

main().catch((error: Error) => {
  console.error(`nats-streams: ${error.message}`);
  process.exit(1);
});
