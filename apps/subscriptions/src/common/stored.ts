import type { Types } from 'mongoose';

/** A document as a lean query returns it: the schema's fields plus its id. */
export type Stored<T> = T & { _id: Types.ObjectId };

/** A unique index refused the write (MongoDB and FerretDB both answer with code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
