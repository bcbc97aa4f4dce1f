/**
 * Bounds a call that takes no signal of its own (a DNS lookup, a ping, a
 * NATS KV request): rejects with `message` once `ms` have passed. The call
 * itself is not cancelled; its late result is ignored.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
