/** A unique index (or `_id`) refused the write: MongoDB and FerretDB both answer with code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
