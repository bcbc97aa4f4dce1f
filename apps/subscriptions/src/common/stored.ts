import type { Types } from 'mongoose';

/** A document as a lean query returns it: the schema's fields plus its id. */
export type Stored<T> = T & { _id: Types.ObjectId };

export { isDuplicateKey } from '@clarion/persistence';
