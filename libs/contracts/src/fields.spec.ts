import { countryCode, languageCode } from './fields';

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
