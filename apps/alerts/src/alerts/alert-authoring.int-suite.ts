import { alertRpc, alertView, BODY_MAX, type AlertView } from '@clarion/contracts';
import { alertInput, coordinatorOf, hex24, networkAdmin, orgEditor, startAlertsHarness, type AlertsHarness } from '../test/alerts-test-kit';

describe('alerts: writing, tenancy and review', () => {
  let h: AlertsHarness;
  const needSecondApproval = new Set<string>();

  beforeAll(async () => {
    h = await startAlertsHarness((coalitionId) => needSecondApproval.has(coalitionId));
  });
  afterAll(async () => h?.stop());

  it('creates a draft that a coordinator of the coalition and an admin can read', async () => {
    const coalitionId = hex24();
    const coordinator = coordinatorOf(coalitionId);
    const created: AlertView = await h.rpc.request(alertRpc.create, { actor: coordinator, coalitionId, input: alertInput() });

    expect(created).toMatchObject({ coalitionId, status: 'draft', version: 1, createdBy: coordinator.tokenId, urgency: 'high' });
    expect(alertView.parse(created)).toEqual(created);
    expect(await h.rpc.request(alertRpc.get, { actor: coordinatorOf(coalitionId, 'colleague'), alertId: created.id })).toEqual(created);
    expect(await h.rpc.request(alertRpc.get, { actor: networkAdmin(), alertId: created.id })).toEqual(created);
    expect(await h.rpc.request(alertRpc.list, { actor: networkAdmin(), coalitionId })).toEqual([created]);
  });

  it('hides an alert from everyone outside its coalition and lets no one there write into it', async () => {
    const coalitionId = hex24();
    const coordinator = coordinatorOf(coalitionId);
    const outsider = coordinatorOf(hex24());
    const { id: alertId } = await h.rpc.request(alertRpc.create, { actor: coordinator, coalitionId, input: alertInput() });

    for (const actor of [outsider, orgEditor()]) {
      await expect(h.rpc.request(alertRpc.get, { actor, alertId })).rejects.toMatchObject({ statusCode: 404 });
      await expect(h.rpc.request(alertRpc.update, { actor, alertId, input: { urgency: 'low' } })).rejects.toMatchObject({ statusCode: 404 });
      await expect(h.rpc.request(alertRpc.publish, { actor, alertId, input: {} })).rejects.toMatchObject({ statusCode: 404 });
    }
    await expect(h.rpc.request(alertRpc.create, { actor: outsider, coalitionId, input: alertInput() })).rejects.toMatchObject({ statusCode: 403 });
    await expect(h.rpc.request(alertRpc.list, { actor: outsider, coalitionId })).rejects.toMatchObject({ statusCode: 403 });
    // An admin sees alerts but does not write them.
    const admin = networkAdmin();
    await expect(h.rpc.request(alertRpc.create, { actor: admin, coalitionId, input: alertInput() })).rejects.toMatchObject({ statusCode: 403 });
    await expect(h.rpc.request(alertRpc.cancel, { actor: admin, alertId, input: {} })).rejects.toMatchObject({ statusCode: 403 });

    const stored: AlertView[] = await h.rpc.request(alertRpc.list, { actor: coordinator, coalitionId });
    expect(stored.map((a) => [a.id, a.urgency, a.status])).toEqual([[alertId, 'high', 'draft']]);
  });

  const en = (text: Record<string, unknown>) => ({ texts: { en: { ...alertInput().texts.en, ...text } } });
  it.each([
    ['a missing title', en({ title: undefined }), 'input.texts.en.title'],
    ['a script tag in the title', en({ title: 'Act <script>alert(1)</script>' }), 'input.texts.en.title'],
    ['an oversized body', en({ body: 'x'.repeat(BODY_MAX + 1) }), 'input.texts.en.body'],
    ['an unknown field', { colour: 'red' }, 'input.colour'],
    ['no text in the primary language', { primaryLanguage: 'fr' }, 'input.texts'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, overrides, field) => {
    const coalitionId = hex24();
    const actor = coordinatorOf(coalitionId);
    await expect(h.rpc.request(alertRpc.create, { actor, coalitionId, input: alertInput(overrides) })).rejects.toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining(field),
      field,
    });
    expect(await h.rpc.request(alertRpc.list, { actor, coalitionId })).toEqual([]);
  });

  it('stores each body as sanitised HTML next to its Markdown', async () => {
    const coalitionId = hex24();
    const body =
      'Read **this**: [report](https://example.org/r)\n\n' +
      '<img src=x onerror="alert(1)"><iframe src="https://evil.example"></iframe><div onclick="x()">raw</div>';
    const texts = { en: { title: 'Report', body, ctaLabel: 'Read' }, fr: { title: 'Rapport', body: '# Lisez', ctaLabel: 'Lire' } };
    const actor = coordinatorOf(coalitionId);
    const { id: alertId } = await h.rpc.request(alertRpc.create, { actor, coalitionId, input: alertInput({ texts }) });

    const stored: AlertView = await h.rpc.request(alertRpc.get, { actor, alertId });
    expect(stored.texts.en.body).toBe(body);
    expect(stored.texts.en.bodyHtml).toContain(
      '<p>Read <strong>this</strong>: <a href="https://example.org/r" rel="noopener noreferrer">report</a></p>',
    );
    expect(stored.texts.en.bodyHtml).toContain('raw');
    expect(stored.texts.en.bodyHtml).not.toMatch(/<img|<iframe|<div|onerror|onclick|evil/);
    expect(stored.texts.fr.bodyHtml).toBe('<h2>Lisez</h2>');
  });

  it('needs a second coordinator to approve before publication when the coalition says so', async () => {
    const coalitionId = hex24();
    needSecondApproval.add(coalitionId);
    const author = coordinatorOf(coalitionId, 'author');
    const colleague = coordinatorOf(coalitionId, 'colleague');
    const { id: alertId } = await h.rpc.request(alertRpc.create, { actor: author, coalitionId, input: alertInput() });

    await expect(h.rpc.request(alertRpc.publish, { actor: author, alertId, input: {} })).rejects.toMatchObject({
      statusCode: 409,
      message: 'the alert needs approval by a second coordinator',
    });
    await expect(h.rpc.request(alertRpc.approve, { actor: author, alertId })).rejects.toMatchObject({
      statusCode: 403,
      message: 'the author cannot approve their own alert',
    });
    const approved: AlertView = await h.rpc.request(alertRpc.approve, { actor: colleague, alertId });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: colleague.tokenId });

    const published: AlertView = await h.rpc.request(alertRpc.publish, { actor: author, alertId, input: {} });
    expect(published).toMatchObject({ status: 'published', approvedBy: colleague.tokenId });
  });

  it('returns an approved alert to draft when it is edited, so the approval covers what goes out', async () => {
    const coalitionId = hex24();
    needSecondApproval.add(coalitionId);
    const author = coordinatorOf(coalitionId, 'author');
    const { id: alertId } = await h.rpc.request(alertRpc.create, { actor: author, coalitionId, input: alertInput() });
    await h.rpc.request(alertRpc.approve, { actor: coordinatorOf(coalitionId, 'colleague'), alertId });

    const edited: AlertView = await h.rpc.request(alertRpc.update, { actor: author, alertId, input: { ctaUrl: 'https://example.org/other' } });
    expect(edited).toMatchObject({ status: 'draft', version: 1, ctaUrl: 'https://example.org/other' });
    expect(edited).not.toHaveProperty('approvedBy');
    await expect(h.rpc.request(alertRpc.publish, { actor: author, alertId, input: {} })).rejects.toMatchObject({ statusCode: 409 });
  });
});
