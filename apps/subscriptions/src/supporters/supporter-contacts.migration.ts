import type { Logger } from '@nestjs/common';
import type { Model, mongo } from 'mongoose';
import type { Supporter } from './supporter.schema';

/** The fields a supporter had before the channel registry (docs/decisions/0036). */
interface LegacySupporter {
  _id: unknown;
  email?: string;
  emailState?: string;
  push?: object;
  pushState?: string;
}

const LEGACY_FIELDS = { email: 1, emailState: 1, push: 1, pushState: 1 };
/** Updates per bulk write: well under the 100 statements per command the embedded FerretDB handled badly (docs/decisions/0012). */
const WRITES_AT_ONCE = 50;

/**
 * Moves supporters stored before the channel registry, with `email`,
 * `emailState`, `push` and `pushState` beside the other fields, into
 * `contacts.<channel>.{address, state}`, once at start, before any consumer
 * or request reads them. The unique keys (`emailKey`, `endpointKey`) were
 * already the registry's and stay. Idempotent: a record moved has no legacy
 * field left, so a second instance starting at the same time finds it gone
 * from its query or rewrites it to the same thing. One scan of the collection
 * on each start, which is quick once nothing is left to move.
 */
export async function migrateLegacyContacts(supporters: Model<Supporter>, logger: Logger): Promise<void> {
  const legacy = supporters
    .find({ $or: Object.keys(LEGACY_FIELDS).map((field) => ({ [field]: { $exists: true } })) }, LEGACY_FIELDS)
    .lean<LegacySupporter>()
    .cursor();
  let writes: mongo.AnyBulkWriteOperation[] = [];
  let moved = 0;
  const flush = async () => {
    if (writes.length === 0) return;
    await supporters.collection.bulkWrite(writes, { ordered: false });
    moved += writes.length;
    writes = [];
  };
  for await (const record of legacy) {
    writes.push({ updateOne: { filter: { _id: record._id }, update: { $set: contactsOf(record), $unset: LEGACY_FIELDS } } } as mongo.AnyBulkWriteOperation);
    if (writes.length >= WRITES_AT_ONCE) await flush();
  }
  await flush();
  if (moved > 0) logger.log({ moved }, 'supporters moved to the contacts map of the channel registry');
}

function contactsOf({ email, emailState, push, pushState }: LegacySupporter): Record<string, unknown> {
  return {
    ...(emailState ? { 'contacts.email': { ...(email ? { address: email } : {}), state: emailState } } : {}),
    ...(pushState ? { 'contacts.push': { ...(push ? { address: push } : {}), state: pushState } } : {}),
  };
}
