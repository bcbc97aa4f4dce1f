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

/** Creates or updates Clarion's streams (or those named); safe to run at every start. */
export async function ensureStreams(jsm: JetStreamManager, replicas = 1, names?: string[]): Promise<void> {
  for (const spec of streams.filter((s) => !names || names.includes(s.name))) {
    const config = toStreamConfig(spec, replicas);
    try {
      await jsm.streams.info(spec.name);
      await jsm.streams.update(spec.name, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      await jsm.streams.add(config);
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
