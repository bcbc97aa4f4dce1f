import { catalogues, fromAcceptLanguage, PAGE_LANGUAGES, pageLanguage, t } from './messages';
import { IntlMessageFormat } from 'intl-messageformat';

describe('public page catalogues', () => {
  const keys = (lang: keyof typeof catalogues) => Object.keys(catalogues[lang]).sort();

  it.each(PAGE_LANGUAGES)('%s has exactly the keys of the English catalogue', (lang) => {
    expect(keys(lang)).toEqual(keys('en'));
  });

  it.each(PAGE_LANGUAGES)('%s: every message parses as ICU and uses the placeholders English does', (lang) => {
    const placeholders = (message: string) => [...message.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [key, message] of Object.entries(catalogues[lang])) {
      expect(() => new IntlMessageFormat(message, lang)).not.toThrow();
      expect({ key, placeholders: placeholders(message) }).toEqual({ key, placeholders: placeholders(catalogues.en[key as keyof typeof catalogues.en]) });
      expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('fills placeholders and leaves escaping to the templates', () => {
    expect(t('fr', 'join.heading', { org: 'A & <B>' })).toBe('Solidaires avec A & <B>');
  });
});

describe('pageLanguage', () => {
  it('takes the switch, then the supporter’s preference, then Accept-Language, then English', () => {
    expect(pageLanguage({ switchTo: 'sw', preferred: 'fr', acceptLanguage: 'es' })).toBe('sw');
    expect(pageLanguage({ switchTo: 'de', preferred: 'fr', acceptLanguage: 'es' })).toBe('fr');
    expect(pageLanguage({ preferred: 'de', acceptLanguage: 'es' })).toBe('es');
    expect(pageLanguage({ acceptLanguage: 'de, ja' })).toBe('en');
    expect(pageLanguage({})).toBe('en');
  });

  it('reads Accept-Language by q and by base language', () => {
    expect(fromAcceptLanguage('fr')).toBe('fr');
    expect(fromAcceptLanguage('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(fromAcceptLanguage('en;q=0.5, pt-BR;q=0.9')).toBe('pt');
    expect(fromAcceptLanguage('de, sw;q=0.1')).toBe('sw');
    expect(fromAcceptLanguage('fr;q=0, es')).toBe('es');
    expect(fromAcceptLanguage('*')).toBeUndefined();
    expect(fromAcceptLanguage(`${'de,'.repeat(5_000)}fr`)).toBeUndefined();
  });
});
