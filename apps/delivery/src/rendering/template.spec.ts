import { slot, Template, TrustedHtml } from './template';

describe('Template', () => {
  it('escapes strings and slot values in HTML, but not trusted HTML', () => {
    const inner = Template.html`<b>${'a & b'}</b>`;
    const page = Template.html`<p title="${'"quoted"'}">${inner}${new TrustedHtml('<em>ok</em>')}<a href="${slot.unsubscribeUrl}">x</a></p>`;
    expect(page.fill({ unsubscribeUrl: 'https://x.example/u/t?a=1&b=2' })).toBe(
      '<p title="&quot;quoted&quot;"><b>a &amp; b</b><em>ok</em><a href="https://x.example/u/t?a=1&amp;b=2">x</a></p>',
    );
  });

  it('keeps plain text as written', () => {
    expect(Template.text`${'a & <b>'} ${slot.deliveryId}`.fill({ deliveryId: 'id&1' })).toBe('a & <b> id&1');
  });

  it('refuses to fill a slot without a value', () => {
    expect(() => Template.text`${slot.preferencesUrl}`.fill({})).toThrow('no value for slot preferencesUrl');
  });
});
