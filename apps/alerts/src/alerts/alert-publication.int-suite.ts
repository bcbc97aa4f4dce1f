import { alertRpc, eventSubjects, type AlertView, type Principal } from '@clarion/contracts';
import { alertInput, coordinatorOf, eventsOn, hex24, startAlertsHarness, until, type AlertsHarness } from '../test/alerts-test-kit';
import { planPublication } from './alert-lifecycle';
import { AlertRepository } from './alert.repository';

describe('alerts: publication, schedule, corrections and cancellation', () => {
  let h: AlertsHarness;

  beforeAll(async () => {
    h = await startAlertsHarness();
  });
  afterAll(async () => h?.stop());

  async function draft(input: Record<string, unknown> = {}): Promise<{ actor: Principal; alertId: string }> {
    const coalitionId = hex24();
    const actor = coordinatorOf(coalitionId);
    const created: AlertView = await h.rpc.request(alertRpc.create, { actor, coalitionId, input: alertInput(input) });
    return { actor, alertId: created.id };
  }

  const published = async (alertId: string) => (await eventsOn(h.nc, eventSubjects.alertPublished)).filter((e) => e.alert.alertId === alertId);
  const get = (actor: Principal, alertId: string): Promise<AlertView> => h.rpc.request(alertRpc.get, { actor, alertId });

  it('publishes once, as one alerts.alert.published.v1 carrying the rendered snapshot; publishing again is a conflict', async () => {
    const { actor, alertId } = await draft();
    const view: AlertView = await h.rpc.request(alertRpc.publish, { actor, alertId, input: {} });
    expect(view).toMatchObject({ status: 'published', version: 1 });

    await expect(h.rpc.request(alertRpc.publish, { actor, alertId, input: {} })).rejects.toMatchObject({ statusCode: 409 });

    const events = await published(alertId);
    expect(events).toEqual([
      {
        eventId: `alert:${alertId}:v1:published`,
        occurredAt: view.publishedAt,
        alert: {
          alertId,
          coalitionId: view.coalitionId,
          version: 1,
          primaryLanguage: 'en',
          texts: view.texts,
          ctaUrl: 'https://example.org/act',
          urgency: 'high',
          topics: ['civic-space'],
          regions: ['KE'],
          publishedAt: view.publishedAt,
        },
      },
    ]);
    expect(events[0].alert.texts.en.bodyHtml).toBe('<p>They were arrested <strong>today</strong>. Call the ministry.</p>');
    // Sent before the reply, so the outbox is already empty.
    expect((await h.app.get(AlertRepository).findOne({ allCoalitions: true }, alertId))?.pendingEvents).toEqual([]);
  });

  it('corrects a published alert as version 2 and announces it with alerts.alert.updated.v1', async () => {
    const { actor, alertId } = await draft();
    const first: AlertView = await h.rpc.request(alertRpc.publish, { actor, alertId, input: {} });
    const corrected: AlertView = await h.rpc.request(alertRpc.update, { actor, alertId, input: { urgency: 'critical' } });
    expect(corrected).toMatchObject({ status: 'published', version: 2, urgency: 'critical', publishedAt: first.publishedAt });

    const updates = (await eventsOn(h.nc, eventSubjects.alertUpdated)).filter((e) => e.alert.alertId === alertId);
    expect(updates).toEqual([
      expect.objectContaining({ eventId: `alert:${alertId}:v2:updated`, alert: expect.objectContaining({ version: 2, urgency: 'critical' }) }),
    ]);
    expect(await published(alertId)).toHaveLength(1);
  });

  it('announces the cancellation of a published alert, and not of one that never went out', async () => {
    const live = await draft();
    await h.rpc.request(alertRpc.publish, { actor: live.actor, alertId: live.alertId, input: {} });
    const cancelled: AlertView = await h.rpc.request(alertRpc.cancel, { actor: live.actor, alertId: live.alertId, input: { reason: 'resolved' } });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.cancelledAt).toBeDefined();

    const quiet = await draft();
    await h.rpc.request(alertRpc.cancel, { actor: quiet.actor, alertId: quiet.alertId, input: {} });
    await expect(h.rpc.request(alertRpc.update, { actor: quiet.actor, alertId: quiet.alertId, input: { urgency: 'low' } })).rejects.toMatchObject({
      statusCode: 409,
    });

    const announced = (await eventsOn(h.nc, eventSubjects.alertCancelled)).filter((e) => [live.alertId, quiet.alertId].includes(e.alertId));
    expect(announced).toEqual([expect.objectContaining({ eventId: `alert:${live.alertId}:cancelled`, alertId: live.alertId, reason: 'resolved' })]);
  });

  it('refuses to publish an alert whose expiry has passed', async () => {
    const { actor, alertId } = await draft({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
    await expect(h.rpc.request(alertRpc.publish, { actor, alertId, input: {} })).rejects.toMatchObject({ statusCode: 400, field: 'expiresAt' });
    expect((await get(actor, alertId)).status).toBe('draft');
  });

  it('marks a published alert expired once its expiry passes', async () => {
    const { actor, alertId } = await draft({ expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await h.rpc.request(alertRpc.publish, { actor, alertId, input: {} });
    await until(async () => ((await get(actor, alertId)).status === 'expired' ? true : undefined), 5_000);
  });

  it('publishes a scheduled alert within about a second after its time', async () => {
    const { actor, alertId } = await draft();
    const at = new Date(Date.now() + 1_500);
    const scheduled: AlertView = await h.rpc.request(alertRpc.publish, { actor, alertId, input: { at: at.toISOString() } });
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledFor: at.toISOString() });
    expect(await published(alertId)).toEqual([]);

    const [event] = await until(async () => ((await published(alertId)).length ? published(alertId) : undefined));
    const delay = Date.parse(event.alert.publishedAt) - at.getTime();
    // Never early; how soon after is measured, not asserted (a loaded machine is slow, not wrong).
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(await get(actor, alertId)).toMatchObject({ status: 'published', publishedAt: event.alert.publishedAt });
  });

  it('publishes a scheduled alert on time after the service restarted', async () => {
    const { actor, alertId } = await draft();
    const at = new Date(Date.now() + 4_000);
    await h.rpc.request(alertRpc.publish, { actor, alertId, input: { at: at.toISOString() } });

    await h.restart();

    const [event] = await until(async () => ((await published(alertId)).length ? published(alertId) : undefined));
    const delay = Date.parse(event.alert.publishedAt) - at.getTime();
    // Never early; how soon after is measured, not asserted (a loaded machine is slow, not wrong).
    expect(delay).toBeGreaterThanOrEqual(0);
  });

  it('sends an event that a crash left in the outbox', async () => {
    const { actor, alertId } = await draft();
    // The state a crash between the write and the publish leaves: the change and its event stored, nothing on JetStream.
    const repository = h.app.get(AlertRepository);
    const alert = await repository.findOne({ allCoalitions: true }, alertId);
    if (!alert) throw new Error('alert not stored');
    await repository.applyChange(alert, planPublication(alert, { now: new Date(), secondApprovalRequired: false }));

    await until(async () => ((await published(alertId)).length === 1 ? true : undefined), 5_000);
    expect((await get(actor, alertId)).status).toBe('published');
    // Sent events leave the outbox, or every sweep would send them again.
    await until(async () => ((await repository.findOne({ allCoalitions: true }, alertId))?.pendingEvents.length === 0 ? true : undefined), 3_000);
  });
});
