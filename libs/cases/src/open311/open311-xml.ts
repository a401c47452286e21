/**
 * The XML of Open311 answers: a document of elements only (no attributes), whose element names
 * are the JSON's field names, and where a list is an element holding one element per item
 * (`<services><service>…`). Written by hand because it is this small; everything text goes
 * through `escapeXmlText`.
 */

/** What one value of an answer may be. */
export type XmlValue = string | number | boolean | null | undefined | readonly XmlValue[] | { readonly [name: string]: XmlValue };

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab, CR and LF; lone surrogates; U+FFFE/U+FFFF). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it removes
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as element content: markup characters escaped, characters XML cannot hold dropped. */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** An element name of the answers: the spec's field names (letters, digits, `_`), nothing a client could choose. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function element(name: string, value: XmlValue, itemName: (list: string) => string): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemName(name);
    return `<${name}>${(value as readonly XmlValue[]).map((v) => element(item, v, itemName)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as { readonly [name: string]: XmlValue })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => element(k, v, itemName));
    return `<${name}>${children.join('')}</${name}>`;
  }
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return text === '' ? `<${name}/>` : `<${name}>${escapeXmlText(text)}</${name}>`;
}

/**
 * A whole document, with the XML declaration the spec asks for. `itemName` names the element of
 * each item of a list element (`services` → `service`); a list it does not know is an error of
 * the caller, not of the data.
 */
export function toXmlDocument(root: string, value: XmlValue, itemNames: Readonly<Record<string, string>>): string {
  const itemName = (list: string): string => {
    const item = itemNames[list];
    if (!item) throw new Error(`no item element name for the list <${list}>`);
    return item;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, itemName)}\n`;
}
