import { connect, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import { STREAM_OPERATOR_INBOX, streams, type StreamSpec } from '@clarion/contracts';
import { busAuthenticator } from '@clarion/security';
import { natsServers, type BusSettings } from './nats-connection';

const nanos = (ms: number) => ms * 1_000_000;

function toStreamConfig(spec: StreamSpec, replicas: number): Partial<StreamConfig> {
  return {
    name: spec.name,
    subjects: spec.subjects,
    retention: spec.workQueue ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(spec.duplicateWindowMs),
    max_age: nanos(spec.maxAgeMs),
    num_replicas: replicas,
    ...(spec.onePerSubject ? { max_msgs_per_subject: 1, discard: DiscardPolicy.New, discard_new_per_subject: true } : {}),
  };
}

/** Which streams to set up: those a service publishes into (owned) and reads, each created when missing. */
export interface StreamSelection {
  owned: string[];
  read: string[];
}

/**
 * Creates Clarion's streams that are missing; safe to run at every start.
 * With full rights (an operator: the launcher, the test harness) and no
 * selection, it also updates every stream to the contracts' configuration.
 * A service passes its selection and never changes a stream (its NATS
 * permissions do not let it: natsPermissions says why); it gets back the
 * names of the streams it publishes into whose configuration differs from the
 * contracts, to warn about.
 */
export async function ensureStreams(jsm: JetStreamManager, replicas = 1, selection?: StreamSelection): Promise<string[]> {
  const differing: string[] = [];
  for (const spec of streams) {
    const owned = !selection || selection.owned.includes(spec.name);
    if (!owned && !selection?.read.includes(spec.name)) continue;
    const config = toStreamConfig(spec, replicas);
    try {
      const { config: current } = await jsm.streams.info(spec.name);
      if (!selection) await jsm.streams.update(spec.name, config);
      else if (owned && differsFrom(current, config)) differing.push(spec.name);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      await jsm.streams.add(config).catch((addError: unknown) => {
        // Another service made it between our look and our add: what we wanted.
        if (selection && addError instanceof Error && /already in use/i.test(addError.message)) return;
        throw addError;
      });
    }
  }
  return differing;
}

/** Whether a stream's configuration lacks something the contracts set (a server default left out of `wanted` is not a difference). */
function differsFrom(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  return Object.entries(wanted).some(([key, value]) => JSON.stringify(current[key as keyof StreamConfig]) !== JSON.stringify(value));
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}

export interface StreamOperator {
  /** NATS_URL's form: one server, or a cluster's comma-separated. */
  url: string;
  /** The operator's NKey seed (streamOperatorPermissions: stream create, info and update only). */
  seed: string;
  replicas?: number;
  tls?: BusSettings['tls'];
}

/**
 * Brings every stream in line with the contracts (a new subject, a changed
 * limit) as the operator, before the services start: they may only create a
 * missing stream, never change one (natsPermissions says why). `npm start`
 * runs it on the embedded server; scripts/nats-streams on any other
 * (docker-compose's bus-streams, an upgrade of one's own servers).
 */
export async function applyStreamConfiguration(operator: StreamOperator): Promise<void> {
  const nc = await connect({
    servers: natsServers(operator.url),
    name: 'clarion-stream-operator',
    authenticator: busAuthenticator(operator.seed),
    inboxPrefix: STREAM_OPERATOR_INBOX,
    ...(operator.tls ? { tls: JSON.parse(JSON.stringify(operator.tls)) as BusSettings['tls'] } : {}),
  });
  try {
    await ensureStreams(await nc.jetstreamManager(), operator.replicas ?? 1);
  } finally {
    await nc.close();
  }
}
