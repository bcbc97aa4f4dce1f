import { maskLinkTokens } from './redact';

describe('maskLinkTokens', () => {
  it.each([
    ['/u/eyJrIjoi.abc?x=1', '/u/[token]?x=1'],
    ['/c/eyJ.sig', '/c/[token]'],
    ['/join/confirm/eyJ.sig', '/join/confirm/[token]'],
    ['/join/some-org', '/join/some-org'],
    ['/api/v1/alerts/abc', '/api/v1/alerts/abc'],
  ])('%s → %s', (url, expected) => {
    expect(maskLinkTokens(url)).toBe(expected);
  });
});
