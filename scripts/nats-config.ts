import { BUS_SERVICES } from '@clarion/contracts';
import { BUS_DEPLOYMENT_USAGE, parseBusDeploymentArgs, writeBusDeployment } from '@clarion/infra';

/**
 * `npm run nats:config -- --out <dir> …`, and docker-compose's bus-keys
 * service: writes the NATS server's configuration, generated from the
 * contracts' table, and each service's NKey seed and the public keys
 * (libs/infra bus-deployment). Run again, it keeps the keys and rewrites the
 * configuration, so a change to the table reaches the server on its next start.
 */
function main(): void {
  let options;
  try {
    options = parseBusDeploymentArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`nats-config: ${(error as Error).message}\n${BUS_DEPLOYMENT_USAGE}`);
    process.exit(2);
  }
  const written = writeBusDeployment(options);
  const scheme = options.tls ? 'tls' : 'nats';
  console.log(
    [
      `nats-config: wrote ${written.serverConfigFile} (start nats-server -c with it; it holds the JetStream store key: keep it mode 600)`,
      `  keys (reused on every run, back them up): ${written.keys.dir}`,
      '  each service, given only its own folder:',
      ...BUS_SERVICES.map(
        (service) =>
          `    ${service.padEnd(13)} NATS_URL=${scheme}://<host>:${options.port} NATS_NKEY_SEED_FILE=${written.services[service].seedFile} BUS_PUBLIC_KEYS_FILE=${written.services[service].publicKeysFile}`,
      ),
      `    delivery also SENDER_SECRETS_KEY_FILE=${written.senderSecretsKeyFile}; gateway and subscriptions SENDER_SECRETS_PUBLIC_KEY=${written.keys.senderSecretsPublicKey}`,
      `  then, with nats-server up and before the services start (and on every upgrade): npm run nats:streams -- --url ${scheme}://<host>:${options.port} --seed-file ${written.operator.seedFile}`,
      ...(options.tls
        ? [
            '  with TLS, each service also gets NATS_TLS_CA_FILE (the CA that signed the server certificate)' +
              (options.tls.caFile ? ', and NATS_TLS_CERT_FILE / NATS_TLS_KEY_FILE (its client certificate, signed by --tls-ca)' : ''),
          ]
        : []),
    ].join('\n'),
  );
}

main();
