import { PushService } from './push-service';
import { SmsProvider } from './sms-provider';
import { SmtpSink } from './smtp-sink';

/**
 * Starts the sinks on fixed ports for local demos: `node dist/libs/sinks/src/cli.js`. The SMS provider posts
 * supporters' replies to SMS_INBOUND_WEBHOOK_URL when it is set.
 */

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`sinks: ${name} must be a port number, got ${JSON.stringify(raw)}\n`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const smtp = await SmtpSink.start({
    smtpPort: portFromEnv('SMTP_SINK_PORT', 2525),
    httpPort: portFromEnv('SMTP_SINK_HTTP_PORT', 8025),
  });
  const push = await PushService.start({ port: portFromEnv('PUSH_SERVICE_PORT', 8090) }).catch(async (error: unknown) => {
    await smtp.stop();
    throw error;
  });
  const sms = await SmsProvider.start({ port: portFromEnv('SMS_PROVIDER_PORT', 8095), webhookUrl: process.env.SMS_INBOUND_WEBHOOK_URL || undefined }).catch(
    async (error: unknown) => {
      await Promise.all([smtp.stop(), push.stop()]);
      throw error;
    },
  );
  process.stdout.write(`${JSON.stringify({ smtpUrl: smtp.smtpUrl, smtpApiUrl: smtp.httpUrl, pushServiceUrl: push.httpUrl, smsProviderUrl: sms.httpUrl })}\n`);

  const shutdown = () => {
    void Promise.all([smtp.stop(), push.stop(), sms.stop()]);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`sinks: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
