import { Logger } from '@nestjs/common';
import { deliveryRpc, relayRpc, type PublicRelayView, type RequestSubject } from '@clarion/contracts';
import { NotFound, RemoteError, Unavailable } from '@clarion/errors';
import { checkedReply, type RpcClient } from '@clarion/messaging';
import { LinkSigner } from '@clarion/security';
import { AlertLandingService } from './alert-landing.service';
import { SignedLinks } from './signed-links';

const relayId = 'b'.repeat(24);
const signer = new LinkSigner('a-test-secret-that-is-at-least-32-characters');

/** A RpcClient that answers each subject from a script, checked against its contract as RpcClient checks it, and refuses any other. */
function service(answers: Partial<Record<RequestSubject, () => Promise<unknown>>>) {
  const asked: Array<{ subject: string; payload: object }> = [];
  const rpc = {
    request: async (subject: RequestSubject, payload: object) => {
      asked.push({ subject, payload });
      const answer = answers[subject];
      if (!answer) throw new Error(`unexpected request ${subject}`);
      return checkedReply(subject, await answer());
    },
  } as unknown as RpcClient;
  return { landing: new AlertLandingService(rpc, new SignedLinks(signer)), asked };
}

const view = (overrides: Partial<PublicRelayView> = {}): PublicRelayView => ({
  relayId,
  status: 'approved',
  org: { name: 'Org', slug: 'org', colour: '#aa3300' },
  language: 'en',
  title: 'Title',
  bodyHtml: '<p>Body</p>',
  ctaLabel: 'Act',
  urgency: 'high',
  ...overrides,
});

describe('the click redirect', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  const token = signer.sign('click', { r: relayId, ch: 'email' });

  it('sends the person where delivery says, after it counted the click', async () => {
    const { landing, asked } = service({ [deliveryRpc.click]: async () => ({ relayId, redirectTo: 'https://example.org/act' }) });
    expect(await landing.click(token)).toEqual({ redirect: 'https://example.org/act' });
    expect(asked).toEqual([{ subject: deliveryRpc.click, payload: { token } }]);
  });

  it('answers 404 for a token it did not sign, without asking delivery', async () => {
    const { landing, asked } = service({});
    await expect(landing.click('garbage')).rejects.toBeInstanceOf(NotFound);
    await expect(landing.click(new LinkSigner('another-secret-that-is-at-least-32-chars').sign('click', { r: relayId, ch: 'email' }))).rejects.toBeInstanceOf(NotFound);
    await expect(landing.click(signer.sign('unsubscribe', { r: relayId }))).rejects.toBeInstanceOf(NotFound);
    expect(asked).toEqual([]);
  });

  it.each([
    ['delivery is down', () => Promise.reject(new Unavailable('delivery did not answer within 1500 ms'))],
    ['delivery does not know the relay', () => Promise.reject(new RemoteError({ statusCode: 404, error: 'Not Found', message: 'no such link' }))],
    ['delivery answers a non-web URL', () => Promise.resolve({ relayId, redirectTo: 'javascript:alert(1)' })],
  ])('falls back to the alert page when %s', async (_case, answer) => {
    const { landing } = service({ [deliveryRpc.click]: answer });
    expect(await landing.click(token)).toEqual({ redirect: `/a/${relayId}` });
  });
});

describe('the landing page', () => {
  it('signs its own web click link for the call to action, and passes on a well-formed language', async () => {
    const { landing, asked } = service({ [relayRpc.publicView]: async () => view() });
    const answer = await landing.landing(relayId, 'fr');
    expect(asked[0].payload).toEqual({ relayId, language: 'fr' });
    const markup = 'page' in answer ? answer.page.content.markup : '';
    const ctaToken = /href="\/c\/([^"]+)"/.exec(markup)?.[1] ?? '';
    expect(signer.verify('click', ctaToken)).toMatchObject({ r: relayId, ch: 'web' });
  });

  it('is 404 for a malformed id and for a relay the organisation did not send', async () => {
    await expect(service({}).landing.landing('nope', undefined)).rejects.toBeInstanceOf(NotFound);
    await expect(service({ [relayRpc.publicView]: async () => view({ status: 'pending' }) }).landing.landing(relayId, undefined)).rejects.toBeInstanceOf(NotFound);
  });

  it('keeps a withdrawn or expired alert readable, without its call to action', async () => {
    const withdrawn = await service({ [relayRpc.publicView]: async () => view({ status: 'cancelled' }) }).landing.landing(relayId, undefined);
    const ended = await service({ [relayRpc.publicView]: async () => view({ expiresAt: '2020-01-01T00:00:00Z' }) }).landing.landing(relayId, undefined);
    for (const answer of [withdrawn, ended]) expect('page' in answer && answer.page.content.markup).not.toContain('/c/');
  });
});
