import { performance } from 'node:perf_hooks';

export type Channel = 'email' | 'push';
export const CHANNELS: Channel[] = ['email', 'push'];

/**
 * When each expected recipient was first reached, per channel, as the sinks
 * saw it (performance.now(), milliseconds). The sinks' hooks feed it; a
 * second message to the same recipient counts as a duplicate, one to an
 * address nobody expects as unexpected.
 */
export class Arrivals {
  private readonly firstAt: Record<Channel, Map<string, number>> = { email: new Map(), push: new Map() };
  readonly duplicates: Record<Channel, number> = { email: 0, push: 0 };
  readonly unexpected: Record<Channel, number> = { email: 0, push: 0 };

  constructor(private readonly expected: Record<Channel, ReadonlySet<string>>) {}

  record(channel: Channel, recipient: string): void {
    const at = performance.now();
    if (!this.expected[channel].has(recipient)) {
      this.unexpected[channel] += 1;
      return;
    }
    const seen = this.firstAt[channel];
    if (seen.has(recipient)) this.duplicates[channel] += 1;
    else seen.set(recipient, at);
  }

  reached(channel: Channel): number {
    return this.firstAt[channel].size;
  }

  expectedCount(channel: Channel): number {
    return this.expected[channel].size;
  }

  complete(): boolean {
    return CHANNELS.every((channel) => this.reached(channel) >= this.expectedCount(channel));
  }

  /** Arrival times of one channel (or both), sorted, relative to `t0`. */
  times(t0: number, channel?: Channel): number[] {
    const channels = channel ? [channel] : CHANNELS;
    return channels.flatMap((c) => [...this.firstAt[c].values()].map((at) => at - t0)).sort((a, b) => a - b);
  }
}
