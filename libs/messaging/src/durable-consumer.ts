import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  headers as natsHeaders,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from 'nats';
import { deadLetters, extractContext, inSpan, redeliveries, SpanKind, watchConsumer } from '@clarion/observability';
import { consumerFilterFor, deadLetterSubject, eventContracts, eventSubjectOf, type EventPayload, type EventSubject } from '@clarion/contracts';

const codec = JSONCodec<unknown>();
const nanos = (ms: number) => ms * 1_000_000;
/** How long one pull waits for messages before the next is asked for; a pull lost with a server (a cluster leader gone) is renewed after it. */
const PULL_EXPIRES_MS = 5_000;
/** After a pull failed (the server away, the consumer not yet there), before the next. */
const PULL_RETRY_MS = 1_000;

/** What a handler did with a message; the consumer acks, retries or dead-letters accordingly. */
export type ConsumerOutcome =
  | { kind: 'handled' }
  | { kind: 'skipped'; reason: string }
  /** `delayMs` overrides the backoff, e.g. when a provider said when to come back. */
  | { kind: 'retry'; reason: string; delayMs?: number };

export interface ConsumerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a handler may want besides the payload: the subject it came on, and whether a retry is still possible. */
export interface ConsumerContext<S extends EventSubject> {
  /** The event subject (for a oncePerEventId event, without the event id). */
  subject: S;
  /** 1 on the first delivery. */
  attempt: number;
  /** Asking for a retry now dead-letters the message: the handler may record it as given up. */
  lastAttempt: boolean;
  /** Aborted when the handler outlives `handlerDeadlineMs`: the message has gone back for another attempt, so the handler should stop at its next step and change nothing more. */
  signal: AbortSignal;
  /** What the handler is doing now, named in the log line if it outlives its deadline. */
  step(doing: string): void;
}

export type ConsumerHandler<S extends EventSubject> = (payload: EventPayload<S>, msg: JsMsg, context: ConsumerContext<S>) => Promise<ConsumerOutcome>;

export interface DurableConsumerOptions<S extends EventSubject> {
  stream: string;
  durable: string;
  subject: S;
  handle: ConsumerHandler<S>;
  /** Attempts before a message is dead-lettered. */
  maxDeliver?: number;
  /** Wait before each redelivery; the last value repeats. */
  backoffMs?: number[];
  /** Must exceed the slowest handler, or JetStream redelivers while it still runs. */
  ackWaitMs?: number;
  /** Messages handled at once (default 1); no more are ever pulled, so none waits in this client while its ack_wait runs out. */
  concurrency?: number;
  /**
   * The longest a handler may keep its message (default: no bound). Past it the heartbeat stops, the
   * message goes back for another attempt (as a retry), the handler's `signal` is aborted, and its
   * outcome, if it ever comes, is ignored. For handlers that honour the signal: without a bound, a call
   * that never returns would keep its message from everyone for good while the heartbeat runs.
   */
  handlerDeadlineMs?: number;
  logger: ConsumerLogger;
}

/**
 * A durable pull consumer with explicit ack after the handler's side effect,
 * bounded redelivery with backoff, and a dead-letter subject for messages that
 * fail validation or exhaust their attempts. A bad message never stops the loop.
 */
export class DurableConsumer<S extends EventSubject> {
  /** The pull waiting for messages, if any: closed first on stop. */
  private pull?: ConsumerMessages;
  private stopping = false;
  private loop?: Promise<void>;
  private unwatch?: () => void;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: DurableConsumerOptions<S>,
  ) {}

  async start(): Promise<void> {
    const { stream, durable, subject } = this.options;
    const config = {
      durable_name: durable,
      filter_subject: consumerFilterFor(subject),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      max_deliver: this.maxDeliver,
    };
    // The stream exists: the service made every stream it reads at start, when missing (NatsModule, streamsReadBy).
    await this.jsm.consumers.add(stream, config);
    const consumer = await this.js.consumers.get(stream, durable);
    this.loop = this.run(consumer);
    // Lag and redeliveries as JetStream counts them, read when Prometheus scrapes.
    this.unwatch = watchConsumer(stream, durable, () => consumer.info());
  }

  /** Stops pulling (before its first await), lets in-flight handlers finish and ack, then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unwatch?.();
    const pull = this.pull;
    this.pull = undefined;
    await pull?.close();
    await this.loop;
  }

  /** The delay rides on the nak: a consumer-level BackOff would also replace ack_wait, which must stay long for slow handlers. */
  private backoffFor(attempt: number): number {
    const backoff = this.backoff;
    return backoff[Math.min(attempt - 1, backoff.length - 1)];
  }

  private get backoff(): number[] {
    return this.options.backoffMs ?? [1_000, 5_000, 30_000];
  }

  private get maxDeliver(): number {
    return this.options.maxDeliver ?? 5;
  }

  /**
   * Pulls exactly as many messages as there are free handlers, so every
   * message this client holds is being handled, and its heartbeat keeps it
   * from going to another worker. A message pulled ahead would wait here
   * unseen while its ack_wait ran out, and be handled twice.
   */
  private async run(consumer: Consumer): Promise<void> {
    const limit = this.options.concurrency ?? 1;
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      if (inFlight.size >= limit) {
        await Promise.race(inFlight);
        continue;
      }
      try {
        this.pull = await consumer.fetch({ max_messages: limit - inFlight.size, expires: PULL_EXPIRES_MS });
        if (this.stopping) await this.pull.close();
        for await (const msg of this.pull) {
          const task: Promise<void> = this.process(msg)
            .catch((error: unknown) => this.leaveForRedelivery(msg, error))
            .finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
      } catch (error) {
        if (this.stopping) break;
        this.options.logger.warn({ durable: this.options.durable, err: error instanceof Error ? error.message : String(error) }, 'pull failed; pulling again');
        await new Promise((resolve) => setTimeout(resolve, PULL_RETRY_MS));
      } finally {
        this.pull = undefined;
      }
    }
    await Promise.all(inFlight);
  }

  /** Acking, nak-ing or dead-lettering failed (NATS unreachable): JetStream redelivers once ack_wait passes. */
  private leaveForRedelivery(msg: JsMsg, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.error({ subject: msg.subject, seq: msg.seq, durable: this.options.durable, err: reason }, 'message left for redelivery');
  }

  /** Each message is handled in the trace of the work that published it. */
  private process(msg: JsMsg): Promise<void> {
    if (msg.info.redeliveryCount > 1) redeliveries.inc({ durable: this.options.durable });
    return inSpan(`consume ${this.options.durable}`, SpanKind.CONSUMER, extractContext(msg.headers), () => this.handleOne(msg));
  }

  private async handleOne(msg: JsMsg): Promise<void> {
    const { logger } = this.options;
    const context = { subject: msg.subject, seq: msg.seq, attempt: msg.info.redeliveryCount, durable: this.options.durable };
    const payload = this.decode(msg);
    if (!payload.ok) {
      logger.warn({ ...context, reason: payload.reason }, 'invalid message dead-lettered');
      await this.deadLetter(msg, payload.reason, 'invalid');
      return;
    }
    // A handler may outlast ack_wait (a large fan-out); telling JetStream it is still at work keeps the
    // message from going to a second worker meanwhile.
    const heartbeat = setInterval(() => msg.working(), (this.options.ackWaitMs ?? 30_000) / 4);
    const abandon = new AbortController();
    let doing = 'starting';
    try {
      const attempt = msg.info.redeliveryCount;
      const handling = this.options.handle(payload.value, msg, {
        subject: this.options.subject,
        attempt,
        lastAttempt: attempt >= this.maxDeliver,
        signal: abandon.signal,
        step: (what) => (doing = what),
      });
      const outcome = await this.withinDeadline(handling, () => {
        abandon.abort();
        logger.error({ ...context, deadlineMs: this.options.handlerDeadlineMs, step: doing }, 'handler still running at its deadline: abandoned, the message goes back for another attempt');
      });
      if (outcome.kind === 'retry') {
        await this.retryOrDeadLetter(msg, outcome.reason, outcome.delayMs);
        return;
      }
      msg.ack();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error({ ...context, err: reason }, 'handler failed');
      await this.retryOrDeadLetter(msg, reason);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The handler's outcome, or past `handlerDeadlineMs` a retry; an abandoned handler's late end is only logged. */
  private async withinDeadline(handling: Promise<ConsumerOutcome>, onAbandon: () => void): Promise<ConsumerOutcome> {
    const deadlineMs = this.options.handlerDeadlineMs;
    if (deadlineMs === undefined) return handling;
    let timer: NodeJS.Timeout | undefined;
    const abandoned = new Promise<ConsumerOutcome>((resolve) => {
      timer = setTimeout(() => {
        onAbandon();
        handling.then(
          () => undefined,
          (error: unknown) => this.options.logger.warn({ durable: this.options.durable, err: error instanceof Error ? error.message : String(error) }, 'an abandoned handler failed late'),
        );
        resolve({ kind: 'retry', reason: `handler still running after ${deadlineMs} ms` });
      }, deadlineMs);
    });
    try {
      return await Promise.race([handling, abandoned]);
    } finally {
      clearTimeout(timer);
    }
  }

  private decode(msg: JsMsg): { ok: true; value: EventPayload<S> } | { ok: false; reason: string } {
    const subject = eventSubjectOf(msg.subject);
    if (!subject) return { ok: false, reason: `no contract for subject ${msg.subject}` };
    let raw: unknown;
    try {
      raw = codec.decode(msg.data);
    } catch {
      return { ok: false, reason: 'payload is not JSON' };
    }
    const result = eventContracts[subject].safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      return { ok: false, reason: `${issue.path.join('.') || 'payload'}: ${issue.message}` };
    }
    return { ok: true, value: result.data as EventPayload<S> };
  }

  private async retryOrDeadLetter(msg: JsMsg, reason: string, delayMs?: number): Promise<void> {
    if (msg.info.redeliveryCount >= this.maxDeliver) {
      await this.deadLetter(msg, `gave up after ${msg.info.redeliveryCount} attempts: ${reason}`, 'exhausted');
      return;
    }
    msg.nak(delayMs ?? this.backoffFor(msg.info.redeliveryCount));
  }

  private async deadLetter(msg: JsMsg, reason: string, kind: 'invalid' | 'exhausted'): Promise<void> {
    const h = natsHeaders();
    for (const [key, values] of msg.headers ?? []) values.forEach((value) => h.append(key, value));
    h.set('Clarion-Dead-Letter-Reason', reason.slice(0, 500));
    h.set('Clarion-Dead-Letter-Consumer', this.options.durable);
    await this.js.publish(deadLetterSubject(msg.subject), msg.data, {
      msgID: `dl:${this.options.stream}:${msg.seq}`,
      headers: h,
    });
    msg.term(reason);
    deadLetters.inc({ durable: this.options.durable, reason: kind });
  }
}
