import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from 'nats';
import { streams, type StreamSpec } from '@clarion/contracts';

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
