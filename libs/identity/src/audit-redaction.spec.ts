import { AUDIT_MASK, auditable, auditableText, MAX_AUDIT_VALUE_BYTES, maskSecretsIn } from './audit-redaction';

describe('auditable: what the audit trail may keep of a value', () => {
  it.each([
    ['a password', { username: 'li', password: 'hunter2' }, { username: 'li', password: AUDIT_MASK }],
    ['a password hash', { password_hash: '$argon2id$…' }, { password_hash: AUDIT_MASK }],
    [
      'tokens and keys',
      { accessToken: 'a.b.c', apiKey: 'k', api_key: 'k', 'x-api-key': 'k' },
      { accessToken: AUDIT_MASK, apiKey: AUDIT_MASK, api_key: AUDIT_MASK, 'x-api-key': AUDIT_MASK },
    ],
    ['a secret nested in an array', { items: [{ clientSecret: 's', name: 'n' }] }, { items: [{ clientSecret: AUDIT_MASK, name: 'n' }] }],
    [
      "a connector's headers: names kept, values masked",
      { connector: { headers: { 'X-Api-Key': 'k1', Accept: 'application/json' } } },
      { connector: { headers: { 'X-Api-Key': AUDIT_MASK, Accept: AUDIT_MASK } } },
    ],
    [
      'an object under a secret key, every leaf',
      { credentials: { user: 'u', pin: 1234, ok: true } },
      { credentials: { user: AUDIT_MASK, pin: AUDIT_MASK, ok: AUDIT_MASK } },
    ],
  ])('masks %s', (_name, value, expected) => {
    expect(auditable(value)).toEqual(expected);
  });

  it('masks credentials, bearer tokens and JWTs inside any text', () => {
    expect(maskSecretsIn('https://robot:pw@sensors.example.org/a?x=1')).toBe(`https://${AUDIT_MASK}@sensors.example.org/a?x=1`);
    expect(maskSecretsIn('mqtts://user@broker:8883')).toBe(`mqtts://${AUDIT_MASK}@broker:8883`);
    expect(maskSecretsIn('sent Authorization: Bearer abc.DEF-123_~+/= then')).toBe(`sent Authorization: Bearer ${AUDIT_MASK} then`);
    expect(maskSecretsIn('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe(`token ${AUDIT_MASK}`);
    expect(maskSecretsIn('mail li@example.org, see https://example.org/a@b')).toBe('mail li@example.org, see https://example.org/a@b');
    expect(auditable({ note: 'pulled https://u:p@h/x' })).toEqual({ note: `pulled https://${AUDIT_MASK}@h/x` });
  });

  it('keeps everything else as it is: numbers, booleans, nulls, Chinese, dates as ISO text', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(auditable({ name: '天河区', n: 3, ok: false, none: null, at, list: [1, 'two'] })).toEqual({
      name: '天河区',
      n: 3,
      ok: false,
      none: null,
      at: '2026-01-02T03:04:05.000Z',
      list: [1, 'two'],
    });
    expect(auditable(undefined)).toBeNull();
    expect(auditable({ skip: undefined, fn: () => 1 })).toEqual({});
  });

  it('makes every string storable in jsonb: NUL and lone surrogates become U+FFFD, in keys too', () => {
    expect(auditable({ 'k\u0000': 'a\u0000b', lone: 'x\uD800y', tail: 'z\uDC00', pair: '😀' })).toEqual({
      'k\uFFFD': 'a\uFFFDb',
      lone: 'x\uFFFDy',
      tail: 'z\uFFFD',
      pair: '😀',
    });
    expect(auditable({ n: Number.NaN, big: 10n })).toEqual({ n: null, big: '10' });
  });

  it('bounds what it keeps: long strings, long lists, deep nesting, and one value past its byte budget', () => {
    const long = auditable({ s: 'x'.repeat(5000) }) as { s: string };
    expect(long.s).toHaveLength(2001);
    // A cut that would split a surrogate pair leaves no lone half.
    expect((auditable({ s: `${'x'.repeat(1999)}😀` }) as { s: string }).s).toBe(`${'x'.repeat(1999)}\uFFFD…`);
    const list = auditable(Array.from({ length: 250 }, (_, i) => i)) as unknown[];
    expect(list).toHaveLength(201);
    expect(list.at(-1)).toBe('[50 more]');
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = { deep };
    expect(JSON.stringify(auditable(deep))).toContain('[nested too deep]');
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'y'.repeat(1000)]));
    expect((auditable(big) as { leftOut: string }).leftOut).toMatch(/^\d+ bytes of JSON, more than the audit trail keeps/);
    expect(JSON.stringify(auditable(big)).length).toBeLessThan(MAX_AUDIT_VALUE_BYTES);
  });

  it('clips short texts and turns empty ones into null', () => {
    expect(auditableText('')).toBeNull();
    expect(auditableText(undefined)).toBeNull();
    expect(auditableText(42)).toBe('42');
    expect(auditableText('a\u0000'.repeat(10), 5)).toBe('a\uFFFDa\uFFFDa…');
  });
});
