/**
 * FerretDB 1.24 (SQLite) stops answering a bulkWrite of more than 100
 * operations (measured: 80 updates take 180 ms, 120 never return before the
 * socket timeout). Sending at most this many per call keeps one round trip per
 * hundred records, which is still the bulk pattern we want on MongoDB.
 */
export const BULK_WRITE_CHUNK = 100;

export async function bulkWriteInChunks<Operation>(write: (chunk: Operation[]) => Promise<unknown>, operations: Operation[]): Promise<void> {
  for (let start = 0; start < operations.length; start += BULK_WRITE_CHUNK) {
    await write(operations.slice(start, start + BULK_WRITE_CHUNK));
  }
}
