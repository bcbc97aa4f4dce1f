import { StorageType, StringCodec, type JetStreamClient, type KV, type NatsConnection } from 'nats';
import { withTimeout } from '@clarion/errors';

/** What this process last wrote to a counter: its revision lets the next write skip a read. */
export interface CounterSeen {
  revision: number;
  count: number;
}

export interface CounterTake {
  /** Tokens added to the counter for this caller: 0 to `want`. */
  granted: number;
  /** The counter is at its limit: nothing more this window. */
  full: boolean;
  seen?: CounterSeen;
}

/** Counters shared by every process that uses one bucket (delivery's workers, the gateways), one per limit and window. */
export interface WindowCounters {
  /**
   * Adds up to `want` to the counter `key`, never past `limit`. `seen` is
   * what the caller last wrote to it, if anything. Rejects when the store
   * cannot be reached; resolves with 0 granted and not full when other
   * writers kept winning the compare-and-set.
   */
  take(key: string, want: number, limit: number, seen?: CounterSeen): Promise<CounterTake>;
}

/** Where the counters live: a bucket named in the contracts' kvBuckets (so the user of it may reach it), and how long it keeps a key. */
export interface WindowCountersOptions {
  bucket: string;
  /** A key is forgotten this long after its last write: a little longer than a window, since a window's counter is worthless after it. */
  ttlMs: number;
  /** Copies in a NATS cluster (JETSTREAM_REPLICAS), like the streams. */
  replicas?: number;
}

/** Every call to NATS, bucket creation included, is bounded by this. */
export const KV_TIMEOUT_MS = 500;
/** Compare-and-set rounds before giving the turn back to the caller (which pauses and tries again). */
const MAX_CAS_ROUNDS = 4;
/** JetStream's "wrong last sequence": another process wrote the counter since we read it. */
const WRONG_LAST_SEQUENCE = 10071;

const codec = StringCodec();

/**
 * The counters in a JetStream KeyValue bucket (in memory, one value per
 * key, keys forgotten after `ttlMs`), updated by compare-and-set on the key's
 * revision: a write names the revision it read, and JetStream refuses it
 * when another process wrote in between. One round trip per take while this
 * process is the only writer; a read and a write more per lost race.
 */
export class KvWindowCounters implements WindowCounters {
  private readonly js: JetStreamClient;
  private bucket?: Promise<KV>;
  /** NATS requests made (puts and reads), for measurement. */
  roundTrips = 0;

  constructor(
    nc: NatsConnection,
    private readonly options: WindowCountersOptions,
  ) {
    // The client's own request timeout too, so nothing of a failed call outlives our bound.
    this.js = nc.jetstream({ timeout: KV_TIMEOUT_MS });
  }

  async take(key: string, want: number, limit: number, seen?: CounterSeen): Promise<CounterTake> {
    const kv = await this.kv();
    let current = seen;
    for (let round = 1; round <= MAX_CAS_ROUNDS; round++) {
      const count = current?.count ?? 0;
      const granted = Math.min(want, limit - count);
      if (granted <= 0) return { granted: 0, full: true, seen: current };
      try {
        // previousSeq 0: the key must not exist yet (the window's first take).
        const revision = await this.timed(kv.put(key, codec.encode(String(count + granted)), { previousSeq: current?.revision ?? 0 }));
        return { granted, full: count + granted >= limit, seen: { revision, count: count + granted } };
      } catch (error) {
        if ((error as { api_error?: { err_code?: number } }).api_error?.err_code !== WRONG_LAST_SEQUENCE) throw error;
      }
      current = await this.read(kv, key, limit);
    }
    return { granted: 0, full: false, seen: current };
  }

  private async read(kv: KV, key: string, limit: number): Promise<CounterSeen | undefined> {
    const entry = await this.timed(kv.get(key));
    if (!entry) return undefined;
    if (entry.operation !== 'PUT') return { revision: entry.revision, count: 0 };
    const count = Number(codec.decode(entry.value));
    // Nothing else writes here; a value that is not a count is treated as a full window rather than an open one.
    return { revision: entry.revision, count: Number.isInteger(count) && count >= 0 ? count : limit };
  }

  private kv(): Promise<KV> {
    this.bucket ??= this.timed(
      this.js.views.kv(this.options.bucket, {
        history: 1,
        ttl: this.options.ttlMs,
        storage: StorageType.Memory,
        replicas: this.options.replicas ?? 1,
        timeout: KV_TIMEOUT_MS,
      }),
    ).catch((error: unknown) => {
      this.bucket = undefined;
      throw error;
    });
    return this.bucket;
  }

  private timed<T>(call: Promise<T>): Promise<T> {
    this.roundTrips++;
    return withTimeout(call, KV_TIMEOUT_MS, `NATS KV did not answer within ${KV_TIMEOUT_MS} ms`);
  }
}

/** One token of a KV key (letters, digits, `-` and `_`; a dot separates tokens): anything else is escaped as _hh per UTF-8 byte. */
export function keyPart(text: string): string {
  return text.replace(/[^A-Za-z0-9-]/gu, (char) => [...Buffer.from(char)].map((byte) => `_${byte.toString(16).padStart(2, '0')}`).join(''));
}
