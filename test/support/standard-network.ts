import { randomBytes } from 'node:crypto';
import { freePort } from '@clarion/infra';
import { PushService, SmsProvider, SmtpSink } from '@clarion/sinks';
import { startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { smsEnv, smsWebhookUrl } from './sms';

/**
 * The standard network: every service with every channel on (the SMTP sink, the push service, the SMS
 * provider), no limit on public writes per client, since a test client joins for many people, one
 * retry 300 ms after a failed send, so a recipient whose provider keeps refusing is failed within a second,
 * and webhooks allowed over plain http to one local origin, for a suite's own receiver, tried five times
 * within about a second.
 *
 * A network costs CPU before any test runs (about 14 CPU-seconds for a file alone, decision 0038), so the
 * suites that need nothing else share one: each file under test/standard-network/ starts it once at its top level
 * (`useStandardNetwork()`) and imports its suites, which read it with `standardNetwork()`. A suite makes
 * its own coalition and organisations (unique slugs), finds the sinks cleared when it starts, and reads
 * only its own organisations' records where it reads a database. The first admin's sign-in link
 * (`network.adminSignInToken`) works once: only one suite of a file may use it (the console mission does).
 */
export interface StandardNetwork {
  readonly infra: TestInfra;
  readonly network: Network;
  readonly smtp: SmtpSink;
  readonly push: PushService;
  readonly sms: SmsProvider;
  /** The installation's SECRET_KEY (it signs the public links). */
  readonly secretKey: string;
  /**
   * Email addresses and push subscription ids whose providers answer with a temporary error (SMTP 451,
   * push 500) until taken out; emptied when the next suite starts.
   */
  readonly refused: Set<string>;
  /** The one origin (http://127.0.0.1:port) delivery posts webhooks to over plain http: a suite's receiver listens there. */
  readonly webhookReceiverOrigin: string;
  /** A service's own database, to read what it stored. */
  databaseUrl(service: 'alerts' | 'subscriptions' | 'delivery'): string;
}

interface Running {
  infra: TestInfra;
  network: Network;
  smtp: SmtpSink;
  push: PushService;
  sms: SmsProvider;
  secretKey: string;
  dbPrefix: string;
  webhookReceiverOrigin: string;
}

const refused = new Set<string>();
let running: Running | undefined;

/**
 * Starts the standard network in the file's `beforeAll` and stops it in its `afterAll`. Call it at the file's top level.
 * `gateway`: settings the gateway takes on top of the standard ones, which no suite of the file may contradict (the
 * console screens read national numbers as French: SMS_DEFAULT_REGION=FR).
 */
export function useStandardNetwork(extra: { gateway?: Record<string, string> } = {}): void {
  beforeAll(async () => {
    const infra = await startTestInfra();
    const [gatewayPort, webhookReceiverPort] = await Promise.all([freePort(), freePort()]);
    const webhookReceiverOrigin = `http://127.0.0.1:${webhookReceiverPort}`;
    const secretKey = randomBytes(32).toString('base64url');
    const dbPrefix = `standard_${process.pid}`;
    const sinks = await Promise.allSettled([
      SmtpSink.start({ onRecipient: (address) => (refused.has(address) ? { code: 451, message: 'Mailbox busy, try later' } : undefined) }),
      PushService.start({ onPush: (subscriptionId) => (refused.has(subscriptionId) ? { status: 500 } : undefined) }),
      SmsProvider.start({ webhookUrl: smsWebhookUrl(gatewayPort) }),
    ]);
    const [smtp, push, sms] = sinks.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as [SmtpSink?, PushService?, SmsProvider?];
    try {
      const failed = sinks.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed || !smtp || !push || !sms) throw failed?.reason;
      const withSms = smsEnv(sms, gatewayPort);
      const network = await startNetwork(infra, {
        gatewayPort,
        dbPrefix,
        commonEnv: { LOCAL_PUSH_SERVICE_URL: push.httpUrl, SECRET_KEY: secretKey },
        env: {
          delivery: {
            SMTP_URL: smtp.smtpUrl,
            ...withSms.delivery,
            RETRY_BACKOFF_MS: '300',
            WEBHOOK_HTTP_ORIGINS: webhookReceiverOrigin,
            WEBHOOK_RETRY_BACKOFF_MS: '150,150,150,150',
          },
          // A test client joins, confirms and erases for many people: more public writes than a person makes (the limit has its own test).
          gateway: { ...withSms.gateway, PUBLIC_WRITES_PER_MINUTE: '0', ...extra.gateway },
        },
      });
      running = { infra, network, smtp, push, sms, secretKey, dbPrefix, webhookReceiverOrigin };
    } catch (error) {
      await Promise.all([smtp?.stop(), push?.stop(), sms?.stop()]);
      await infra.stop();
      throw error;
    }
  });
  afterAll(async () => {
    const stopping = running;
    running = undefined;
    if (!stopping) return;
    await stopping.network.stopAll();
    await Promise.all([stopping.smtp.stop(), stopping.push.stop(), stopping.sms.stop()]);
    await stopping.infra.stop();
  });
}

/**
 * The standard network as a suite sees it: call it inside the suite's `describe`, before its own hooks. The
 * sinks are cleared before the suite's first hook, so counts start from zero.
 */
export function standardNetwork(): StandardNetwork {
  const started = (): Running => {
    if (!running) throw new Error('standardNetwork: no standard network is running (start it with useStandardNetwork() at the top of the test file, and read it in a hook or a test)');
    return running;
  };
  beforeAll(() => {
    const { smtp, push, sms } = started();
    smtp.clear();
    push.clear();
    sms.clear();
    refused.clear();
  });
  return {
    get infra() {
      return started().infra;
    },
    get network() {
      return started().network;
    },
    get smtp() {
      return started().smtp;
    },
    get push() {
      return started().push;
    },
    get sms() {
      return started().sms;
    },
    get secretKey() {
      return started().secretKey;
    },
    refused,
    get webhookReceiverOrigin() {
      return started().webhookReceiverOrigin;
    },
    databaseUrl: (service) => {
      const { infra, dbPrefix } = started();
      return infra.mongoUrl(`${dbPrefix}_${service}`);
    },
  };
}
