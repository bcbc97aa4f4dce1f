import type { SmsProvider } from '@clarion/sinks';
import { http, type Network } from '@clarion/testing';
import { Api, eventually, expectStatus } from '../support/api';
import { createOrg, type Org } from '../support/directory-fixture';
import { codeTextedTo, joinByPhone, smsWebhookUrl } from '../support/sms';
import { standardNetwork } from '../support/standard-network';

/**
 * SMS's public surface under misuse (docs/decisions/0037): the code form against guessing and against
 * confirming a number with another's code, and the provider's inbound webhook against forged, replayed,
 * oversized and mistyped posts. The SMS provider is the local one (Twilio's API), signing its replies.
 */
describe('SMS: the code form and the inbound webhook refuse misuse', () => {
  const net = standardNetwork();
  let network: Network;
  let sms: SmsProvider;
  let org: Org;
  let webhookUrl: string;

  beforeAll(async () => {
    ({ network, sms } = net);
    webhookUrl = smsWebhookUrl(Number(new URL(network.gatewayUrl).port));
    org = await createOrg(new Api(network.gatewayUrl, network.adminToken), 'Text Rights');
  }, 120_000);

  const join = async (number: string) => expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { sms: number, language: 'en' } }), 201);
  const confirm = (contact: string, code: string) => http('POST', `${network.gatewayUrl}/join/${org.slug}/code`, { body: { channel: 'sms', contact, code } });
  const counts = async () => expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body.sms;
  const otherCode = (code: string, n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

  it('locks a code after five wrong guesses, and never confirms a number with another number’s code', async () => {
    const [victim, attacker] = ['+33611111111', '+33622222222'];
    await join(victim);
    await join(attacker);
    const victimCode = await codeTextedTo(sms, victim);
    const attackerCode = await codeTextedTo(sms, attacker);

    // The attacker's own, valid code does not confirm the victim's number, nor does the victim's code typed for the attacker's.
    for (const [contact, code] of [[victim, attackerCode], [attacker, victimCode]]) {
      const refused = expectStatus(await confirm(contact, code), 400);
      expect(refused.body).toMatchObject({ field: 'code' });
    }
    // Five wrong guesses use the victim's code up: the right one is then refused the same way.
    for (let n = 1; n <= 5; n++) expectStatus(await confirm(victim, otherCode(victimCode, n)), 400);
    const locked = expectStatus(await confirm(victim, victimCode), 400);
    expect(locked.body.message).toBe(expectStatus(await confirm('+33633333333', victimCode), 400).body.message);
    expect(await counts()).toMatchObject({ pending: 2 });
    expect((await counts()).active ?? 0).toBe(0);

    // The form, too: a page naming the code, the number kept in its hidden field; and not from another site.
    const formPost = (headers: Record<string, string>) =>
      fetch(`${network.gatewayUrl}/join/${org.slug}/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ channel: 'sms', contact: attacker, code: '12' }).toString(),
      });
    const page = await formPost({});
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toMatch(/<input id="code" name="code"[^>]*aria-invalid="true"/);
    expect(html).toContain(`name="contact" value="${attacker}"`);
    expect((await formPost({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // The attacker's code still works: malformed input took none of its attempts.
    expectStatus(await confirm(attacker, attackerCode), 200);
  });

  it('acts on a signed STOP once, and refuses forged, replayed, oversized and mistyped posts', async () => {
    const number = '+33644444444';
    await joinByPhone(network.gatewayUrl, sms, org.slug, number, 'en');
    const post = (body: string, headers: Record<string, string>) => fetch(webhookUrl, { method: 'POST', headers, body });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    // Forged: the right fields, a wrong signature; and none at all.
    const forged = new URLSearchParams({ MessageSid: `SM${'a'.repeat(32)}`, AccountSid: sms.accountSid, From: number, To: sms.number, Body: 'STOP' }).toString();
    expect((await post(forged, { ...form, 'x-twilio-signature': 'c2lnbmVkIGJ5IG5vYm9keQ==' })).status).toBe(403);
    expect((await post(forged, form)).status).toBe(403);
    expect((await post(JSON.stringify({ From: number, Body: 'STOP' }), { 'content-type': 'application/json' })).status).toBe(415);
    expect((await post(`Body=${'x'.repeat(33 * 1024)}`, form)).status).toBe(413);
    expect(await counts()).toMatchObject({ active: 2 });

    // Signed: the number leaves; the same post again (its MessageSid and signature) changes nothing after a START.
    const stop = await sms.reply(number, 'STOP');
    expect(stop).toMatchObject({ status: 200, contentType: expect.stringContaining('xml') });
    const replay = sms.lastReply!;
    await eventually('the number unsubscribed', async () => ((await counts()).unsubscribed === 1 ? true : undefined));
    expect((await sms.reply(number, 'START')).status).toBe(200);
    await eventually('the number back', async () => ((await counts()).active === 2 ? true : undefined));
    expect((await post(replay.body, { ...form, 'x-twilio-signature': replay.signature })).status).toBe(200);
    expect(await counts()).toMatchObject({ active: 2 });
    expect((await counts()).unsubscribed ?? 0).toBe(0);
  });

  it('offers the phone field on the join page and takes the code through the code form, as a person without JavaScript would', async () => {
    const number = '+33655555555';
    const page = await fetch(`${network.gatewayUrl}/join/${org.slug}?lang=fr`);
    expect(await page.text()).toContain('<label for="sms">Numéro de mobile (pour les SMS)</label>');
    const postForm = (path: string, fields: Record<string, string>) =>
      fetch(`${network.gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: new URLSearchParams(fields).toString() });

    const joined = await postForm(`/join/${org.slug}`, { ui: 'fr', sms: '+33 6 55 55 55 55', language: 'en' });
    expect(joined.status).toBe(200);
    const codeForm = await joined.text();
    expect(codeForm).toContain(`action="/join/${org.slug}/code"`);
    expect(codeForm).toContain(`name="contact" value="${number}"`);
    const code = await codeTextedTo(sms, number);
    const confirmed = await postForm(`/join/${org.slug}/code`, { ui: 'fr', channel: 'sms', contact: number, code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Répondez STOP');
    expect(await counts()).toMatchObject({ active: 3 });
    // The organisation's export names the number and its state.
    const exported = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body as { sms?: string; smsState?: string }[];
    expect(exported.find((supporter) => supporter.sms === number)).toMatchObject({ smsState: 'active' });
  });

  it('finds a supporter by mobile number, written as people write it, for the organisation’s admins only; names the field of a bad number', async () => {
    const number = '+33666666666';
    await joinByPhone(network.gatewayUrl, sms, org.slug, number, 'en');
    const other = await createOrg(new Api(network.gatewayUrl, network.adminToken), 'Text Elsewhere');
    const search = (caller: Api, query: string) => caller.get(`/organisations/${org.id}/supporters?${query}`);
    const byPhone = (phone: string) => `phone=${encodeURIComponent(phone)}`;

    const found = expectStatus(await search(org.admin, byPhone('+33 6 66 66 66 66')), 200).body;
    expect(found.supporters).toEqual([expect.objectContaining({ orgId: org.id, smsState: 'active' })]);
    expect(found.supporters[0]).not.toHaveProperty('email');
    expect(expectStatus(await search(org.admin, byPhone('+33677777777')), 200).body).toEqual({ supporters: [] });
    // The same number looked up in another organisation finds nothing there.
    expect(expectStatus(await other.admin.get(`/organisations/${other.id}/supporters?${byPhone(number)}`), 200).body).toEqual({ supporters: [] });

    expectStatus(await search(org.editor, byPhone(number)), 403);
    expectStatus(await search(other.admin, byPhone(number)), 404);
    expectStatus(await search(new Api(network.gatewayUrl, undefined), byPhone(number)), 401);
    for (const bad of ['=HYPERLINK("+33666666666")', '0666666666', 'x'.repeat(41)]) {
      expect({ bad, field: expectStatus(await search(org.admin, byPhone(bad)), 400).body.field }).toEqual({ bad, field: 'phone' });
    }
    expectStatus(await search(org.admin, `${byPhone(number)}&email=someone%40example.org`), 400);
  });
});
