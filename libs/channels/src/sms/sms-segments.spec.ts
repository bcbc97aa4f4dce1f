import { longestFit, measureSms, plainTypography } from './sms-segments';

describe('measureSms', () => {
  it('fits 160 GSM-7 characters in one part, and 153 in each part beyond', () => {
    expect(measureSms('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
    expect(measureSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(measureSms('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(measureSms('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(measureSms('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('counts the extension table (€, brackets) as two septets, and never splits one across parts', () => {
    expect(measureSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    // 152 septets, then a two-septet € that would straddle the end of the first part: it moves to the second.
    expect(measureSms(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(measureSms(`${'a'.repeat(151)}€${'a'.repeat(153)}`)).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
  });

  it('takes the accented letters GSM-7 has, and turns the whole text to UCS-2 for one it has not', () => {
    expect(measureSms('Libérez-les à Málaga')).toMatchObject({ encoding: 'UCS-2' });
    expect(measureSms('Libérez-les à Paris')).toMatchObject({ encoding: 'GSM-7', units: 19 });
    expect(measureSms('a'.repeat(70))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(measureSms(`ê${'a'.repeat(69)}`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(measureSms(`ê${'a'.repeat(70)}`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(measureSms('ж'.repeat(134))).toMatchObject({ segments: 2 });
    expect(measureSms('ж'.repeat(135))).toMatchObject({ segments: 3 });
  });

  it('counts an emoji as two UCS-2 units and keeps its halves in one part', () => {
    expect(measureSms('✊🏿')).toEqual({ encoding: 'UCS-2', units: 3, segments: 1 });
    expect(measureSms(`${'ж'.repeat(66)}🔥${'ж'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});

describe('plainTypography', () => {
  it('turns curly quotes, dashes and ellipses into their GSM-7 twins, so a pasted title stays GSM-7', () => {
    const title = 'L’appel — « Libérez-les »… “now”';
    expect(plainTypography(title)).toBe('L\'appel - " Libérez-les "... "now"');
    expect(measureSms(plainTypography(title)).encoding).toBe('GSM-7');
  });
});

describe('longestFit', () => {
  it('keeps the most whole characters for which the test holds', () => {
    expect(longestFit('abcdef', (prefix) => prefix.length <= 4)).toBe('abcd');
    expect(longestFit('🔥🔥🔥', (prefix) => prefix.length <= 5)).toBe('🔥🔥');
    expect(longestFit('abc', () => false)).toBe('');
    expect(longestFit('abc', () => true)).toBe('abc');
  });
});
