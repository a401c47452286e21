import { escapeXmlText, toXmlDocument } from './open311-xml';

describe('the Open311 XML writer', () => {
  const items = { services: 'service', formats: 'format' };

  it('escapes the five markup characters, so text can never open an element', () => {
    expect(escapeXmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });

  it.each([
    ['a NUL', 'a\u0000b', 'ab'],
    ['other C0 controls', 'a\u0001\u0008\u000B\u000C\u001Fb', 'ab'],
    ['U+FFFE and U+FFFF', 'a\uFFFE\uFFFFb', 'ab'],
    ['a lone high surrogate', 'a\uD800b', 'ab'],
    ['a lone low surrogate', 'a\uDC00b', 'ab'],
  ])('drops characters XML 1.0 cannot hold: %s', (_, input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it.each([
    ['tab, CR and LF', 'a\tb\r\nc'],
    ['Chinese', '占道经营'],
    ['a character outside the BMP (a surrogate pair)', 'road 🚧 works'],
  ])('keeps what XML can hold: %s', (_, text) => {
    expect(escapeXmlText(text)).toBe(text);
  });

  it('writes a list as one element per item, named by the list, with the XML declaration', () => {
    expect(toXmlDocument('services', [{ service_code: 'noise', metadata: false, group: '城管' }], items)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<services><service><service_code>noise</service_code><metadata>false</metadata>' +
        '<group>城管</group></service></services>\n',
    );
  });

  it('writes null and empty text as an empty element, leaves undefined out, and nests lists inside objects', () => {
    expect(toXmlDocument('root', { a: null, b: '', c: undefined, d: 1.5, formats: ['text/xml'] }, items)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<root><a/><b/><d>1.5</d><formats><format>text/xml</format></formats></root>\n',
    );
  });

  it('writes an empty list as an empty element', () => {
    expect(toXmlDocument('services', [], items)).toContain('<services></services>');
  });

  it('refuses an element name that is not a plain name, and a list it has no item name for', () => {
    expect(() => toXmlDocument('root', { 'a b': 1 }, items)).toThrow(/not an XML element name/);
    expect(() => toXmlDocument('root', { things: [1] }, items)).toThrow(/no item element name for the list <things>/);
  });
});
