/**
 * What may go into the audit trail of a value (before/after of a change, details): a copy with
 * every secret masked, every string storable in `jsonb` (PostgreSQL refuses NUL and lone
 * surrogates, and one refused value would lose the whole batch of events), and a bounded size,
 * since the trail keeps everything for good.
 */

export const AUDIT_MASK = '********';

/** Keys whose values are secrets wherever they appear (`headers`: a connector's header values). */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key|signature|^headers$/i;

/** Credentials in a URL (`https://user:pass@host`), a bearer token, a JWT. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const BEARER = /\b(bearer|basic)\s+[\w~+/.=-]+/gi;
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]+/g;

const MAX_STRING = 2000;
const MAX_ITEMS = 200;
const MAX_DEPTH = 12;
/** Bytes of one value's JSON; past it the value is replaced by a note of its size. */
export const MAX_AUDIT_VALUE_BYTES = 32 * 1024;

// NUL, and a high surrogate without its low one or a low one without its high one: jsonb refuses them.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g; // eslint-disable-line no-control-regex -- NUL is what it looks for

function storableText(text: string): string {
  const clipped = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  return clipped.replace(UNSTORABLE, '\uFFFD');
}

/** A string with the secrets it may carry masked. */
export function maskSecretsIn(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${AUDIT_MASK}@`).replace(BEARER, `$1 ${AUDIT_MASK}`).replace(JWT, AUDIT_MASK);
}

function copy(value: unknown, depth: number, secret: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return secret ? AUDIT_MASK : storableText(maskSecretsIn(value));
  if (typeof value === 'number') return secret ? AUDIT_MASK : Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return secret ? AUDIT_MASK : value;
  if (typeof value === 'bigint') return secret ? AUDIT_MASK : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => copy(item, depth + 1, secret));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (kept++ >= MAX_ITEMS) {
      out['…'] = 'more keys left out';
      break;
    }
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    // A secret's structure (a connector's header names) stays readable; its values do not.
    out[storableText(key)] = copy(item, depth + 1, secret || SECRET_KEY.test(key));
  }
  return out;
}

/** The value as the audit trail keeps it: secrets masked, storable, at most MAX_AUDIT_VALUE_BYTES of JSON. */
export function auditable(value: unknown): unknown {
  const copied = copy(value, 0, false);
  if (copied === null) return null;
  const bytes = Buffer.byteLength(JSON.stringify(copied));
  return bytes > MAX_AUDIT_VALUE_BYTES ? { leftOut: `${bytes} bytes of JSON, more than the audit trail keeps of one value` } : copied;
}

/** A short text field (names, ids, the request id): storable and bounded, or null. */
export function auditableText(text: string | number | null | undefined, max = 500): string | null {
  if (text === null || text === undefined || text === '') return null;
  const s = storableText(String(text));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
