import { SmtpSink, DELIVERY_ID_HEADER } from '@clarion/sinks';
import { http, startCanary, startNetwork, startTestInfra, type Canary, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, listSupporters, subscribe, type Coalition, type Org } from './support/directory-fixture';
import { openProgressStream } from './support/progress-stream';
import { SnsFixture, type SnsFields } from './support/sns-fixture';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:clarion-ses-feedback';
const OTHER_TOPIC = 'arn:aws:sns:eu-west-1:210987654321:someone-elses-topic';
const POSTMARK_SECRET = 'postmark-webhook-secret-0123456789';

/**
 * Bounces and complaints reported by mail providers after the send
 * (docs/decisions/0030). SNS is played by SnsFixture: its own CA (trusted by
 * the gateway through NODE_EXTRA_CA_CERTS) and signing certificate, served
 * over https from `localhost`, which SNS_CERT_HOST_PATTERN names as the SNS
 * host here. Each supporter gets a real alert first, so the reports name
 * deliveries as a provider's would: by the X-Clarion-Delivery-Id the message carried.
 */
describe('provider bounce and complaint webhooks', () => {
  let infra: TestInfra;
  let network: Network;
  let sink: SmtpSink;
  let sns: SnsFixture;
  let canary: Canary;
  let admin: Api;
  let coalition: Coalition;
  let org: Org;
  const people = ['ses.bounce@example.org', 'ses.complaint@example.org', 'pm.bounce@example.org', 'pm.complaint@example.org', 'bystander@example.org'];
  const deliveryIdOf: Record<string, string> = {};
  let counter = 0;

  beforeAll(async () => {
    infra = await startTestInfra();
    [sink, sns, canary] = await Promise.all([SmtpSink.start(), SnsFixture.start(), startCanary()]);
    network = await startNetwork(infra, {
      env: {
        gateway: {
          SES_SNS_TOPIC_ARNS: TOPIC,
          SNS_CERT_HOST_PATTERN: '^localhost$',
          NODE_EXTRA_CA_CERTS: sns.caFile,
          POSTMARK_WEBHOOK_SECRET: POSTMARK_SECRET,
        },
        delivery: { SMTP_URL: sink.smtpUrl, MAIL_FROM: 'alerts@network.example' },
      },
    });
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    org = await createOrg(admin, 'Feedback Rights');
    await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    for (const email of people) await join(email);

    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, draft.id);
    try {
      expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);
      await progress.until((p) => p.channels.email.sent === people.length, 30_000);
    } finally {
      progress.close();
    }
    for (const message of sink.messages().filter((m) => m.headers[DELIVERY_ID_HEADER])) deliveryIdOf[message.envelope.to[0]] = message.headers[DELIVERY_ID_HEADER];
    expect(Object.keys(deliveryIdOf).sort()).toEqual([...people].sort());
  });

  afterAll(async () => {
    await network?.stopAll();
    await Promise.all([sink?.stop(), sns?.stop(), canary?.close()]);
    await infra?.stop();
  });

  async function join(email: string) {
    expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
    const confirmation = await eventually(`confirmation email to ${email}`, async () => sink.messages().find((m) => m.to.includes(email)));
    const confirmUrl = /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)?.[0];
    expectStatus(await http('GET', confirmUrl!), 200);
  }

  const stateOf = async (email: string) => (await listSupporters(org)).find((s) => s.email === email)?.emailState;
  const states = async () => Object.fromEntries((await listSupporters(org)).map((s) => [s.email, s.emailState]));

  function sesNotification(email: string, notification: Record<string, unknown>, topic = TOPIC): SnsFields {
    const mail = {
      messageId: `0102018c-${++counter}`,
      destination: [email],
      // SES with "include original headers": the delivery id comes back among them.
      headers: [
        { name: 'From', value: 'alerts@network.example' },
        { name: 'X-Clarion-Delivery-Id', value: deliveryIdOf[email] },
      ],
    };
    return {
      Type: 'Notification',
      MessageId: `sns-${process.pid}-${counter}`,
      TopicArn: topic,
      Message: JSON.stringify({ ...notification, mail }),
      Timestamp: new Date().toISOString(),
    };
  }
  const sesBounce = (email: string, topic?: string) =>
    sesNotification(email, { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: email }] } }, topic);
  const sesComplaint = (email: string) =>
    sesNotification(email, { notificationType: 'Complaint', complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: email }] } });

  function postSns(body: Record<string, string>) {
    return fetch(`${network.gatewayUrl}/webhooks/ses`, {
      method: 'POST',
      // As SNS sends it: JSON under text/plain.
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': body.Type },
      body: JSON.stringify(body),
    });
  }

  it('refuses forged SNS messages with 403, fetches nothing from a host that is not SNS, and changes nothing', async () => {
    const before = await states();
    const target = 'bystander@example.org';
    const forgeries: [string, Record<string, string>][] = [
      ['signed with another key', sns.sign(sesBounce(target), { key: sns.otherKey() })],
      ['certificate on a host that is not SNS', sns.sign(sesBounce(target), { certUrl: `http://127.0.0.1:${canary.port}/cert.pem` })],
      ['certificate over plain http on the SNS host', sns.sign(sesBounce(target), { certUrl: sns.certUrl.replace('https:', 'http:') })],
      ['a real signature on a topic that is not ours', sns.sign(sesBounce(target, OTHER_TOPIC))],
      ['unknown signature version', { ...sns.sign(sesBounce(target)), SignatureVersion: '3' }],
    ];
    // Signed, then changed: the message now names the bystander.
    const signed = sns.sign(sesBounce('ses.bounce@example.org'));
    forgeries.push(['altered after signing', { ...signed, Message: sesBounce(target).Message }]);
    for (const [what, body] of forgeries) {
      const res = await postSns(body);
      expect({ what, status: res.status }).toEqual({ what, status: 403 });
    }
    expect(canary.connections()).toBe(0);
    expect(await states()).toEqual(before);
  });

  it('suppresses the address of a signed SES hard bounce (SignatureVersion 1) and unsubscribes a complaint (SignatureVersion 2)', async () => {
    const bounce = await postSns(sns.sign(sesBounce('ses.bounce@example.org'), { version: '1' }));
    expect(bounce.status).toBe(200);
    expect(await bounce.json()).toEqual({ outcome: 'reported' });
    const complaint = await postSns(sns.sign(sesComplaint('ses.complaint@example.org'), { version: '2' }));
    expect(complaint.status).toBe(200);

    await eventually('bounced address suppressed', async () => ((await stateOf('ses.bounce@example.org')) === 'suppressed' ? true : undefined));
    await eventually('complaining address unsubscribed', async () => ((await stateOf('ses.complaint@example.org')) === 'unsubscribed' ? true : undefined));
    expect(await stateOf('bystander@example.org')).toBe('active');
  });

  it('ignores a transient bounce', async () => {
    const soft = sesNotification('bystander@example.org', { notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [] } });
    const res = await postSns(sns.sign(soft));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'ignored' });
    expect(await stateOf('bystander@example.org')).toBe('active');
  });

  it('confirms a subscription only by visiting a SubscribeURL on the SNS host', async () => {
    const confirmation = (subscribeUrl: string): SnsFields => ({
      Type: 'SubscriptionConfirmation',
      MessageId: `sns-confirm-${++counter}`,
      TopicArn: TOPIC,
      Message: 'You have chosen to subscribe to the topic.',
      SubscribeURL: subscribeUrl,
      Token: 'token-123',
      Timestamp: new Date().toISOString(),
    });
    // Signed by SNS's key, but the URL leads elsewhere: an internal service, plain http, another host.
    for (const url of [`http://127.0.0.1:${canary.port}/confirm`, `https://127.0.0.1:${canary.port}/confirm`, `${sns.origin.replace('https:', 'http:')}/confirm`]) {
      const res = await postSns(sns.sign(confirmation(url)));
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect(canary.connections()).toBe(0);
    expect(sns.subscribeVisits).toBe(0);

    const res = await postSns(sns.sign(confirmation(`${sns.origin}/confirm?Action=ConfirmSubscription&Token=token-123`)));
    expect(res.status).toBe(200);
    expect(sns.subscribeVisits).toBe(1);
  });

  const postmark = (body: unknown, options: { auth?: string; path?: string } = {}) =>
    http('POST', `${network.gatewayUrl}/webhooks/postmark${options.path ?? ''}`, { body, headers: options.auth ? { authorization: options.auth } : {} });
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const postmarkBounce = (email: string) => ({
    RecordType: 'Bounce',
    ID: ++counter,
    Type: 'HardBounce',
    TypeCode: 1,
    Email: email,
    Metadata: { 'clarion-delivery-id': deliveryIdOf[email] },
  });

  it('refuses Postmark reports without the installation’s secret (401) and changes nothing', async () => {
    const before = await states();
    const forged = postmarkBounce('bystander@example.org');
    for (const [what, res] of [
      ['no credentials', await postmark(forged)],
      ['wrong password', await postmark(forged, { auth: basic('postmark', 'guessed-secret-0123456789') })],
      ['wrong URL secret', await postmark(forged, { path: '/guessed-secret-0123456789' })],
      ['bearer instead of basic', await postmark(forged, { auth: `Bearer ${POSTMARK_SECRET}` })],
    ] as const) {
      expect({ what, status: res.status }).toEqual({ what, status: 401 });
    }
    expect(await states()).toEqual(before);
  });

  it('suppresses a Postmark hard bounce (basic auth) and unsubscribes a spam complaint (secret in the URL)', async () => {
    expectStatus(await postmark(postmarkBounce('pm.bounce@example.org'), { auth: basic('postmark', POSTMARK_SECRET) }), 200);
    const complaint = { RecordType: 'SpamComplaint', ID: ++counter, Type: 'SpamComplaint', Email: 'pm.complaint@example.org', Metadata: { 'clarion-delivery-id': deliveryIdOf['pm.complaint@example.org'] } };
    expect(expectStatus(await postmark(complaint, { path: `/${POSTMARK_SECRET}` }), 200).body).toEqual({ outcome: 'reported' });

    await eventually('bounced address suppressed', async () => ((await stateOf('pm.bounce@example.org')) === 'suppressed' ? true : undefined));
    await eventually('complaining address unsubscribed', async () => ((await stateOf('pm.complaint@example.org')) === 'unsubscribed' ? true : undefined));
    expect(await stateOf('bystander@example.org')).toBe('active');
  });

  it('sends the next alert to nobody who bounced or complained', async () => {
    sink.clear();
    const draft = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body;
    const progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, draft.id);
    try {
      expectStatus(await coalition.coordinator.post(`/alerts/${draft.id}/publish`), 200);
      await progress.until((p) => p.channels.email.sent === 1, 30_000);
    } finally {
      progress.close();
    }
    expect(sink.messages().map((m) => m.envelope.to[0])).toEqual(['bystander@example.org']);
  });
});
