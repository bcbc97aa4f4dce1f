import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders basic formatting', () => {
    expect(renderMarkdown('Call **now**, _please_.\n\n- one\n- two')).toBe(
      '<p>Call <strong>now</strong>, <em>please</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    );
  });

  it('keeps http, https and mailto links and marks them noopener noreferrer', () => {
    expect(renderMarkdown('[site](https://example.org/a) [mail](mailto:x@example.org) [plain](http://example.org)')).toBe(
      '<p><a href="https://example.org/a" rel="noopener noreferrer">site</a> ' +
        '<a href="mailto:x@example.org" rel="noopener noreferrer">mail</a> ' +
        '<a href="http://example.org" rel="noopener noreferrer">plain</a></p>',
    );
  });

  it.each([
    ['a javascript:', '[x](javascript:alert(1))'],
    ['an entity-encoded javascript:', '[x](jav&#x61;script:alert(1))'],
    ['a data:', '[x](data:text/html;base64,PHNjcmlwdD4=)'],
    ['a vbscript:', '[x](vbscript:msgbox)'],
    ['a protocol-relative', '[x](//evil.example/)'],
  ])('drops %s link target but keeps its text', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(html).not.toContain('href');
    expect(html).toContain('>x</a>');
  });

  it('drops an image with an onerror handler', () => {
    const html = renderMarkdown('before <img src="x" onerror="alert(1)"> after ![pic](https://example.org/p.png)');
    expect(html).toBe('<p>before  after </p>');
  });

  it('drops an iframe', () => {
    expect(renderMarkdown('<iframe src="https://evil.example"></iframe>\n\ntext')).toBe('<p>text</p>');
  });

  it('drops scripts and styles with their content', () => {
    expect(renderMarkdown('<script>alert(1)</script><style>p{}</style>ok')).toBe('ok');
  });

  it('strips other raw HTML and its attributes, keeping the text', () => {
    expect(renderMarkdown('<div class="x" onclick="alert(1)">hello <span style="color:red">there</span></div>')).toBe('hello there');
    expect(renderMarkdown('<p onmouseover="alert(1)">hi</p>')).toBe('<p>hi</p>');
  });

  it('shifts headings into the h2–h4 range', () => {
    expect(renderMarkdown('# Top\n\n###### Deep')).toBe('<h2>Top</h2>\n<h4>Deep</h4>');
  });

  it('keeps code as escaped text', () => {
    expect(renderMarkdown('`<b>x</b>`')).toBe('<p><code>&lt;b&gt;x&lt;/b&gt;</code></p>');
  });
});
