import pino from 'pino';
import { maskLinkTokens, redactPaths } from './redact';

describe('maskLinkTokens', () => {
  it.each([
    ['/u/eyJrIjoi.abc?x=1', '/u/[token]?x=1'],
    ['/c/eyJ.sig', '/c/[token]'],
    ['/join/confirm/eyJ.sig', '/join/confirm/[token]'],
    ['/join/some-org', '/join/some-org'],
    ['/api/v1/alerts/abc', '/api/v1/alerts/abc'],
  ])('%s → %s', (url, expected) => {
    expect(maskLinkTokens(url)).toBe(expected);
  });
});

describe('redactPaths', () => {
  it('keeps a session cookie out of the request and response lines, as it is sent and as it is set', () => {
    const lines: string[] = [];
    const logger = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, { write: (line: string) => lines.push(line) });
    logger.info({
      req: { headers: { cookie: 'clarion_session=cls_SENT', 'x-csrf-token': 'CSRFTOKEN' } },
      res: { statusCode: 201, headers: { 'set-cookie': 'clarion_session=cls_SET; HttpOnly' } },
    });
    const line = lines.join('');
    for (const secret of ['cls_SENT', 'cls_SET', 'CSRFTOKEN']) expect({ secret, logged: line.includes(secret) }).toEqual({ secret, logged: false });
    expect(line).toContain('"statusCode":201');
  });

  it('keeps addresses, endpoints, keys and tokens out of a log line at any depth a service logs them', () => {
    const lines: string[] = [];
    const logger = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, { write: (line: string) => lines.push(line) });
    const push = { endpoint: 'https://push.example.net/secret-endpoint', keys: { p256dh: 'BKEY', auth: 'AUTHSECRET' } };
    logger.info({
      email: 'top@example.org',
      supporter: { email: 'one@example.org', push },
      batch: { relay: { orgId: 'o' }, recipients: [{ supporterId: 's', email: 'in-batch@example.org', push }] },
      export: { subscriptions: { email: { address: 'deep@example.org' }, push } },
      recipients: [{ email: 'listed@example.org', contacts: { sms: '+33612345678' } }],
      join: { input: { contacts: { sms: '+33698765432' } } },
      reply: { From: '+447700900123', To: '+15005550006' },
      orgId: 'kept',
    });
    const line = lines.join('');
    for (const secret of ['@example.org', 'secret-endpoint', 'BKEY', 'AUTHSECRET', '+33612345678', '+33698765432', '+447700900123', '+15005550006']) expect({ secret, logged: line.includes(secret) }).toEqual({ secret, logged: false });
    expect(line).toContain('"orgId":"kept"');
  });
});
