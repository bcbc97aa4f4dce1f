import { Invalid } from '@clarion/errors';
import { isPhoneRegion, normalisePhoneNumber } from './phone-number';

function refusal(input: unknown, rules = {}, field?: string): Invalid {
  try {
    normalisePhoneNumber(input, rules, field);
  } catch (error) {
    if (error instanceof Invalid) return error;
    throw error;
  }
  throw new Error('the number was accepted');
}

describe('normalisePhoneNumber', () => {
  it('writes a mobile number in E.164, however it was typed', () => {
    expect(normalisePhoneNumber('+33 6 12 34 56 78', {})).toBe('+33612345678');
    expect(normalisePhoneNumber('0033 6-12-34-56-78', { defaultRegion: 'GB' })).toBe('+33612345678');
    expect(normalisePhoneNumber('(201) 555-0123', { defaultRegion: 'US' })).toBe('+12015550123');
    expect(normalisePhoneNumber('+254 712 345 678', {})).toBe('+254712345678');
  });

  it('reads a national number in the default region, and refuses one when there is none', () => {
    expect(normalisePhoneNumber('06 12 34 56 78', { defaultRegion: 'FR' })).toBe('+33612345678');
    expect(normalisePhoneNumber('0712 345678', { defaultRegion: 'KE' })).toBe('+254712345678');
    expect(refusal('06 12 34 56 78')).toMatchObject({ field: 'phone', message: 'phone must start with + and the country code (no default region applies)' });
  });

  it('refuses what is not a valid number, naming the field and never repeating the number', () => {
    expect(refusal('call me', {}, 'sms.phone')).toMatchObject({ field: 'sms.phone', message: 'sms.phone must be a phone number' });
    expect(refusal('+33 6', {})).toMatchObject({ message: 'phone is too short for a phone number' });
    expect(refusal('+999 123456', {})).toMatchObject({ message: 'phone must start with + and the country code (no default region applies)' });
    expect(refusal('+33 6 12 34 56 7', {}).message).toBe('phone is not a valid number in FR');
    expect(refusal('+33 6 12 34 56 78 ext. 12', {}).message).toBe('phone must not have an extension');
    expect(refusal('+33 6 12 34 56 7', {}).message).not.toContain('612');
  });

  it('refuses a number wrapped in other text, such as a spreadsheet formula, rather than picking it out', () => {
    expect(refusal('=HYPERLINK("x","+33612345678")').message).toBe('phone must be written with digits, spaces and + - . ( ) / only');
    expect(refusal('=+33612345678').message).toBe('phone must be written with digits, spaces and + - . ( ) / only');
    expect(refusal('tel:+33612345678').message).toBe('phone must be written with digits, spaces and + - . ( ) / only');
    expect(refusal('@SUM(1+1)').message).toBe('phone must be written with digits, spaces and + - . ( ) / only');
    expect(refusal("=cmd|' /C calc'!A0").message).toBe('phone must be written with digits, spaces and + - . ( ) / only');
  });

  it('refuses input that is not a string, empty, or too long to be typed by a person', () => {
    expect(refusal(undefined).message).toBe('phone must be a phone number, e.g. +33612345678');
    expect(refusal(33612345678).message).toBe('phone must be a phone number, e.g. +33612345678');
    expect(refusal('   ').message).toBe('phone must be a phone number, e.g. +33612345678');
    expect(refusal(`+33612345678${' '.repeat(40)}`).message).toBe('phone must be at most 40 characters');
  });

  it('refuses landlines and numbers no supporter carries: toll-free, premium rate', () => {
    expect(refusal('+33 1 23 45 67 89').message).toBe('phone must be a mobile number that can receive SMS');
    expect(refusal('+44 20 7946 0958').message).toBe('phone must be a mobile number that can receive SMS');
    expect(refusal('+1 800 555 0199').message).toBe('phone must be a mobile number that can receive SMS');
    expect(refusal('+44 909 879 0879').message).toBe('phone must be a mobile number that can receive SMS');
  });

  it('keeps numbers to the allowed regions when there are any', () => {
    const rules = { defaultRegion: 'FR', allowedRegions: ['FR', 'BE'] } as const;
    expect(normalisePhoneNumber('06 12 34 56 78', rules)).toBe('+33612345678');
    expect(normalisePhoneNumber('+32 470 12 34 56', rules)).toBe('+32470123456');
    expect(refusal('+254 712 345 678', rules)).toMatchObject({ field: 'phone', message: 'phone must be a number in FR, BE' });
  });
});

describe('isPhoneRegion', () => {
  it('knows two-letter region codes in upper case only', () => {
    expect(isPhoneRegion('KE')).toBe(true);
    expect(isPhoneRegion('ke')).toBe(false);
    expect(isPhoneRegion('XX')).toBe(false);
  });
});
