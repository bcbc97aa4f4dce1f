/** MongoDB and FerretDB both report a unique index violation as code 11000. */
export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}

/** A write error as the driver gives it, or as mongoose passes it on for insertMany (`{ index, err: { code } }`). */
interface WriteErrorShape {
  index?: number;
  code?: number;
  err?: { code?: number };
}

/**
 * The indexes of the documents an unordered insertMany refused because they
 * already exist. Any other write error is rethrown: only "already there" is expected.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  const writeErrors = typeof error === 'object' && error !== null && 'writeErrors' in error ? error.writeErrors : undefined;
  if (writeErrors === undefined) throw error;
  // The driver gives a single error as an object, several as an array.
  const list = ([] as WriteErrorShape[]).concat(writeErrors as WriteErrorShape | WriteErrorShape[]);
  const isDuplicate = (entry: WriteErrorShape) => (entry.code ?? entry.err?.code) === DUPLICATE_KEY && entry.index !== undefined;
  if (list.length === 0 || !list.every(isDuplicate)) throw error;
  return new Set(list.map((entry) => entry.index as number));
}
