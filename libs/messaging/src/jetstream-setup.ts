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

/** Which streams to set up: all of Clarion's, or those a service owns (created or updated) and reads (created when missing). */
export interface StreamSelection {
  owned: string[];
  read: string[];
}

/** Creates or updates Clarion's streams (or those selected); safe to run at every start. */
export async function ensureStreams(jsm: JetStreamManager, replicas = 1, selection?: StreamSelection): Promise<void> {
  for (const spec of streams) {
    const owned = !selection || selection.owned.includes(spec.name);
    if (!owned && !selection?.read.includes(spec.name)) continue;
    const config = toStreamConfig(spec, replicas);
    try {
      await jsm.streams.info(spec.name);
      if (owned) await jsm.streams.update(spec.name, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      await jsm.streams.add(config).catch((addError: unknown) => {
        // Another service made it between our look and our add: what we wanted.
        if (!owned && addError instanceof Error && /already in use/i.test(addError.message)) return;
        throw addError;
      });
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
