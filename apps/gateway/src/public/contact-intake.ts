import { channelNames, channels, type AnyChannel } from '@clarion/channels';
import type { GatewayConfig } from '@clarion/config';
import type { SmsIntakeRules } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';

/**
 * A join's contacts as a person gave them, under this installation's rules from the registry
 * (libs/channels): a channel it does not offer is refused naming the field, and a channel's `intake`
 * normalises what was typed (SMS: a national number in the default region, the allowed regions).
 */
export function takeContacts<T>(body: T, config: GatewayConfig): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const taken: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const settings = config as unknown as Readonly<Record<string, unknown>>;
  for (const name of channelNames) {
    const channel: AnyChannel = channels[name];
    if (taken[name] === undefined || taken[name] === '') continue;
    if (channel.offered && !channel.offered(settings)) throw new Invalid(`${name} is not offered on this network`, name);
    if (channel.intake) taken[name] = channel.intake(taken[name], settings, name);
  }
  return taken as T;
}

/**
 * How this installation takes a number in (SMS_DEFAULT_REGION, SMS_ALLOWED_REGIONS), for a CSV import read in
 * subscriptions: the join page's rules (`intake`), so a list and a join page agree. Undefined when SMS is not offered.
 */
export function smsIntakeRulesOf(config: GatewayConfig): SmsIntakeRules | undefined {
  if (!offeredChannels(config).includes(channels.sms.name)) return undefined;
  return { ...(config.SMS_DEFAULT_REGION ? { defaultRegion: config.SMS_DEFAULT_REGION } : {}), allowedRegions: config.SMS_ALLOWED_REGIONS };
}

/** The channels this installation offers on its public pages (`offered` in the registry; absent: always). */
export function offeredChannels(config: GatewayConfig): string[] {
  const settings = config as unknown as Readonly<Record<string, unknown>>;
  return channelNames.filter((name) => {
    const channel: AnyChannel = channels[name];
    return !channel.offered || channel.offered(settings);
  });
}
