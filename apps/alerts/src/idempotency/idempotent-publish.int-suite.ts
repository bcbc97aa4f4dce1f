import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { alertRpc, eventSubjects, type AlertView, type Principal } from '@clarion/contracts';
import { uniqueDbName } from '@clarion/testing';
import { alertInput, coordinatorOf, eventsOn, hex24, startAlertsHarness, type AlertsHarness } from '../test/alerts-test-kit';
import { publicationRequest } from '../alerts/alert.service';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyKey } from './idempotency-key.schema';
import { fingerprintOf } from './idempotency.service';

/**
 * `Idempotency-Key` on publish, against the alerts service in-process on real
 * NATS and FerretDB: repeats answer the first result, a key cannot be reused
 * for another request, failures free the key, and keys past their day or
 * held by a request that died are taken over.
 */
describe('alerts: publishing with an idempotency key', () => {
  let h: AlertsHarness;
  let keys: Model<IdempotencyKey>;
  const needSecondApproval = new Set<string>();

  beforeAll(async () => {
    h = await startAlertsHarness((coalitionId) => needSecondApproval.has(coalitionId), uniqueDbName('alerts_idem'));
    keys = h.app.get<Model<IdempotencyKey>>(getModelToken(IdempotencyKey.name));
  });
  afterAll(async () => h?.stop());

  async function draft(actor: Principal): Promise<string> {
    if (actor.grant.role !== 'coordinator') throw new Error('a coordinator drafts');
    const created: AlertView = await h.rpc.request(alertRpc.create, { actor, coalitionId: actor.grant.coalitionId, input: alertInput() });
    return created.id;
  }

  const publish = (actor: Principal, alertId: string, idempotencyKey?: string, input: object = {}): Promise<AlertView> =>
    h.rpc.request(alertRpc.publish, { actor, alertId, input, idempotencyKey });
  const publishedEvents = async (alertId: string) => (await eventsOn(h.nc, eventSubjects.alertPublished)).filter((e) => e.alert.alertId === alertId);
  const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

  it('publishes once for eight concurrent requests with one key; every one, or its retry, gets the first answer', async () => {
    const actor = coordinatorOf(hex24());
    const alertId = await draft(actor);
    const key = `double-click-${hex24()}`;

    const answers = await settled(Array.from({ length: 8 }, () => publish(actor, alertId, key)));
    const statuses = answers.map((a) => (a.status === 'fulfilled' ? 200 : (a.reason as { statusCode: number }).statusCode));
    process.stdout.write(`[idempotency] 8 concurrent publishes with one key answered ${JSON.stringify(statuses)}\n`);
    // A repeat waits a second for the first to finish, then asks to be retried (409): on a loaded CI machine the
    // first publication once took longer. Either way it never publishes a second time, and its retry gets the answer.
    const conflicts = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    for (const conflict of conflicts) expect(conflict).toMatchObject({ statusCode: 409, field: 'Idempotency-Key', message: expect.stringMatching(/in progress/) });
    const views = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(views.length).toBeGreaterThan(0);
    for (const view of views) expect(view).toEqual(views[0]);
    expect(views[0]).toMatchObject({ status: 'published', version: 1 });

    expect(await publish(actor, alertId, key)).toEqual(views[0]);
    expect(await publishedEvents(alertId)).toHaveLength(1);
    expect(await keys.findOne({ _id: `${views[0].coalitionId}:${key}` }).lean()).toMatchObject({ state: 'done' });
  });

  it('refuses the key for another alert or another body with 422 naming Idempotency-Key, and publishes nothing', async () => {
    const actor = coordinatorOf(hex24());
    const [first, second] = [await draft(actor), await draft(actor)];
    const key = `reused-${hex24()}`;
    await publish(actor, first, key);

    await expect(publish(actor, second, key)).rejects.toMatchObject({ statusCode: 422, field: 'Idempotency-Key', message: expect.stringMatching(/^Idempotency-Key was already used/) });
    await expect(publish(actor, first, key, { at: new Date(Date.now() + 3_600_000).toISOString() })).rejects.toMatchObject({ statusCode: 422 });
    expect((await h.rpc.request(alertRpc.get, { actor, alertId: second })).status).toBe('draft');
    expect(await publishedEvents(second)).toEqual([]);
  });

  it('keeps each coalition’s keys apart: the same key in another coalition is a key of its own, and never replays this one’s answer', async () => {
    const actor = coordinatorOf(hex24());
    const other = coordinatorOf(hex24());
    const key = `shared-${hex24()}`;
    const mine = await draft(actor);
    await publish(actor, mine, key);

    await expect(publish(other, mine, key)).rejects.toMatchObject({ statusCode: 404 });
    const theirs = await draft(other);
    expect(await publish(other, theirs, key)).toMatchObject({ id: theirs, status: 'published' });
  });

  it('frees the key when publishing fails, so a retry with it publishes once the cause is gone', async () => {
    const coalitionId = hex24();
    needSecondApproval.add(coalitionId);
    const actor = coordinatorOf(coalitionId);
    const approver = coordinatorOf(coalitionId, 'second');
    const alertId = await draft(actor);
    const key = `retry-after-approval-${hex24()}`;

    await expect(publish(actor, alertId, key)).rejects.toMatchObject({ statusCode: 409, message: expect.stringMatching(/second coordinator/) });
    await h.rpc.request(alertRpc.approve, { actor: approver, alertId });
    expect(await publish(actor, alertId, key)).toMatchObject({ status: 'published' });
    expect(await publishedEvents(alertId)).toHaveLength(1);
  });

  it('ignores a key past its day (FerretDB has no TTL index), and the sweeper removes it', async () => {
    const coalitionId = hex24();
    const actor = coordinatorOf(coalitionId);
    const [first, second] = [await draft(actor), await draft(actor)];
    const key = `old-${hex24()}`;
    await publish(actor, first, key);
    await keys.updateOne({ _id: `${coalitionId}:${key}` }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });

    expect(await publish(actor, second, key)).toMatchObject({ id: second, status: 'published' });

    await keys.updateOne({ _id: `${coalitionId}:${key}` }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await h.app.get(IdempotencyKeyRepository).deleteExpired(new Date())).toBeGreaterThanOrEqual(1);
    expect(await keys.findOne({ _id: `${coalitionId}:${key}` }).lean()).toBeNull();
  });

  it('answers 409 while another request holds the key, and takes the key over once that request’s lease has run out (it died)', async () => {
    const coalitionId = hex24();
    const actor = coordinatorOf(coalitionId);
    const alertId = await draft(actor);
    const key = `crashed-${hex24()}`;
    // As a request that claimed the key and then died would have left it.
    await keys.create({
      _id: `${coalitionId}:${key}`,
      coalitionId,
      fingerprint: fingerprintOf(publicationRequest(alertId, {})),
      state: 'pending',
      leaseUntil: new Date(Date.now() + 60_000),
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
    });

    await expect(publish(actor, alertId, key)).rejects.toMatchObject({ statusCode: 409, field: 'Idempotency-Key', message: expect.stringMatching(/in progress/) });

    await keys.updateOne({ _id: `${coalitionId}:${key}` }, { $set: { leaseUntil: new Date(Date.now() - 1_000) } });
    expect(await publish(actor, alertId, key)).toMatchObject({ status: 'published' });
    expect(await publishedEvents(alertId)).toHaveLength(1);
  });

  it('publishes one event even when concurrent requests without a key race (the event id is per alert version)', async () => {
    const actor = coordinatorOf(hex24());
    const alertId = await draft(actor);
    const answers = await settled(Array.from({ length: 8 }, () => publish(actor, alertId)));
    const statuses = answers.map((a) => (a.status === 'fulfilled' ? 200 : (a.reason as { statusCode: number }).statusCode));
    process.stdout.write(`[idempotency] 8 concurrent publishes without a key answered ${JSON.stringify(statuses)}\n`);
    expect(statuses).toContain(200);
    expect(await publishedEvents(alertId)).toHaveLength(1);
  });
});
