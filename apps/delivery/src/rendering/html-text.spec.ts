import { htmlToText, oneLine } from './html-text';

describe('htmlToText', () => {
  it('keeps paragraphs, list items and link targets, and decodes entities', () => {
    const html =
      '<h2>Now</h2><p>Call <strong>your MP</strong> &amp; write.<br />Today.</p><ul><li>one</li><li>two</li></ul>' +
      '<p>See <a href="https://x.example/a?b=1&amp;c=2" rel="noopener noreferrer">the brief</a> or <a href="https://y.example">https://y.example</a> &#8212; &#x263A;</p>';
    expect(htmlToText(html)).toBe('Now\n\nCall your MP & write.\nToday.\n\n- one\n- two\n\nSee the brief (https://x.example/a?b=1&c=2) or https://y.example — ☺');
  });
});

describe('oneLine', () => {
  it('folds whitespace and cuts at a character boundary with an ellipsis', () => {
    expect(oneLine(' a\n\nb  c ', 10)).toBe('a b c');
    expect(oneLine('😀'.repeat(5), 3)).toBe('😀😀…');
  });
});
