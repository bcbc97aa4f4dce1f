import { phoneNumberSchema, smsChannel } from './sms.contact';

describe('the SMS contact', () => {
  it('travels and is stored in E.164, however it was written', () => {
    expect(phoneNumberSchema.parse('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(smsChannel.stored(phoneNumberSchema.parse('+254 (712) 345-678'))).toBe('+254712345678');
    expect(smsChannel.key.of('+33612345678')).toBe('+33612345678');
    expect(smsChannel.identifiers('+33612345678')).toEqual(['+33612345678']);
  });

  it('refuses what is not a mobile number, with a problem worded to follow the field’s path', () => {
    const result = phoneNumberSchema.safeParse('+33 1 23 45 67 89');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ message: 'must be a mobile number that can receive SMS', path: [] })]);
    expect(phoneNumberSchema.safeParse('06 12 34 56 78').error?.issues[0].message).toBe('must start with + and the country code (no default region applies)');
    expect(phoneNumberSchema.safeParse(612345678).success).toBe(false);
  });

  it('lets a person leave from any state, a provider’s refusal only suppress a live number, and START restore only an earlier consent', () => {
    expect(smsChannel.unsubscribe).toEqual({ from: ['pending', 'active', 'suppressed'], to: 'unsubscribed' });
    expect(smsChannel.outcomes.suppress?.from).not.toContain('unsubscribed');
    expect(smsChannel.resubscribe?.from).not.toContain('pending');
    for (const transition of [smsChannel.unsubscribe, smsChannel.outcomes.suppress!, smsChannel.resubscribe!]) {
      for (const state of [...transition.from, transition.to]) expect(smsChannel.states).toContain(state);
    }
  });
});
