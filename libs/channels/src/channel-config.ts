import type { ConfiguredService } from './channel-definition';
import { channels } from './registry';

type Registry = typeof channels;
type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;

/** Every registered channel's settings for one service, as one zod shape (typed, so the service's config type has them). */
export type ChannelConfigShape<S extends ConfiguredService> = UnionToIntersection<
  { [C in keyof Registry]: NonNullable<Registry[C]['config']> extends { [K in S]: infer Shape } ? Shape : object }[keyof Registry]
>;

/** Spread into a service's config schema: the channels' settings beside its own (a name two channels share is an error at start). */
export function channelConfigShape<S extends ConfiguredService>(service: S): ChannelConfigShape<S> {
  const shape: Record<string, unknown> = {};
  for (const channel of Object.values(channels) as { name: string; config?: Partial<Record<ConfiguredService, Record<string, unknown>>> }[]) {
    for (const [key, field] of Object.entries(channel.config?.[service] ?? {})) {
      if (key in shape) throw new Error(`two channels declare the ${service} setting ${key}; the second is ${channel.name}`);
      shape[key] = field;
    }
  }
  return shape as ChannelConfigShape<S>;
}
