import { countryCode, idempotencyKey, languageCode } from './fields';

describe('field codes', () => {
  it.each(['Kenya', 'K', 'ke', '', '123'])('refuses %p as a country code without throwing', (code) => {
    expect(countryCode.safeParse(code).success).toBe(false);
  });

  it.each(['english', 'e', 'EN', 'xx'])('refuses %p as a language code without throwing', (code) => {
    expect(languageCode.safeParse(code).success).toBe(false);
  });

  it('accepts real codes', () => {
    expect(countryCode.safeParse('KE').success).toBe(true);
    expect(languageCode.safeParse('sw').success).toBe(true);
  });
});

describe('idempotency keys', () => {
  it.each(['', 'x'.repeat(201), 'tab\there', 'naïve', 'line\nbreak'])('refuses %p', (key) => {
    expect(idempotencyKey.safeParse(key).success).toBe(false);
  });

  it.each(['a', '3f0c9a52-6f0e-4b8e-9a59-0d4f2a8c1e77', 'x'.repeat(200), 'publish #1 (retry)'])('accepts %p', (key) => {
    expect(idempotencyKey.safeParse(key).success).toBe(true);
  });
});
