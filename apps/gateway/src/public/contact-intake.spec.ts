import { z } from 'zod';
import { channelConfigShape } from '@clarion/channels';
import type { GatewayConfig } from '@clarion/config';
import { Invalid } from '@clarion/errors';
import { smsIntakeRulesOf, takeContacts } from './contact-intake';

// The channels' part of the gateway's config, as the registry gives it to the gateway's schema.
const config = (env: Record<string, string>) => z.object(channelConfigShape('gateway')).parse(env) as unknown as GatewayConfig;

const off = () => config({});
const on = (more: Record<string, string> = {}) =>
  config({ SMS_ACCOUNT_SID: `AC${'0'.repeat(32)}`, SMS_AUTH_TOKEN: 't'.repeat(32), SMS_INBOUND_WEBHOOK_URL: 'https://clarion.example.org/webhooks/channels/sms', ...more });

describe('takeContacts', () => {
  it('refuses a number where SMS is off, naming the field, and leaves email alone', () => {
    expect(() => takeContacts({ sms: '+33612345678' }, off())).toThrow(new Invalid('sms is not offered on this network', 'sms'));
    expect(takeContacts({ email: 'ada@example.org', sms: '' }, off())).toEqual({ email: 'ada@example.org', sms: '' });
  });

  it('takes a national number in the default region as E.164, and refuses one outside the allowed regions', () => {
    expect(takeContacts({ sms: '06 12 34 56 78' }, on({ SMS_DEFAULT_REGION: 'fr' }))).toEqual({ sms: '+33612345678' });
    expect(() => takeContacts({ sms: '+447911123456' }, on({ SMS_ALLOWED_REGIONS: 'FR,BE' }))).toThrow('sms must be a number in FR, BE');
    expect(() => takeContacts({ sms: '+33 1 23 45 67 89' }, on())).toThrow('sms must be a mobile number that can receive SMS');
  });
});

describe('smsIntakeRulesOf', () => {
  it('gives an import the join page’s rules for numbers, and nothing where SMS is off', () => {
    expect(smsIntakeRulesOf(off())).toBeUndefined();
    expect(smsIntakeRulesOf(on())).toEqual({ allowedRegions: [] });
    expect(smsIntakeRulesOf(on({ SMS_DEFAULT_REGION: 'fr', SMS_ALLOWED_REGIONS: 'FR,BE' }))).toEqual({ defaultRegion: 'FR', allowedRegions: ['FR', 'BE'] });
  });
});
