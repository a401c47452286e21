import { findUnstorable } from '@cityops/contracts';
import { alteredRawReason, storableRaw, validateRecord, type ValidationContext } from './record-validator';

const ctx: ValidationContext = {
  feed: {
    key: 'f',
    name: 'f',
    nameEn: null,
    description: null,
    departmentCode: null,
    theme: 'general',
    kind: 'observation',
    metrics: [{ key: 'pm25', min: 0, max: 1000 }],
    expectedIntervalSeconds: null,
    retentionDays: 30,
    ownerContact: null,
    zoneSet: null,
    connector: null,
  },
  now: Date.parse('2026-11-22T00:00:00Z'),
  bounds: [112.9, 22.5, 114.1, 24.0],
};
const ok = { metric: 'pm25', value: 35, ts: '2026-11-22T00:00:00Z' };
/** An object `depth` levels deep, parsed from text: building it as objects would itself recurse. */
const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('validateRecord', () => {
  it.each([
    ['a good record', ok, null],
    ['a time without a zone', { ...ok, ts: '2026-11-22T00:00:00' }, /^ts: /],
    ['an unknown field', { ...ok, extra: 1 }, /Unrecognized key/],
    ['a value above the range', { ...ok, value: 5000 }, /above the maximum 1000/],
    ['a time 10 minutes ahead', { ...ok, ts: '2026-11-22T00:10:00Z' }, /in the future/],
    ['a time 4 minutes ahead (clock skew)', { ...ok, ts: '2026-11-22T00:04:00Z' }, null],
    ['a latitude out of range', { ...ok, location: [113.3, 95] }, /^location/],
    ['a location outside the city', { ...ok, location: [116.4, 39.9] }, /outside the city bounds/],
    ['a Point geometry location inside', { ...ok, location: { type: 'Point', coordinates: [113.3, 23.1] } }, null],
    ['a NUL character', { ...ok, props: { note: 'a\u0000b' } }, /^props: contains a NUL character/],
    ['a NUL character in the id', { ...ok, id: 'a\u0000' }, /^id: contains a NUL character/],
    ['a lone surrogate in the entity', { ...ok, entity: 'gate-\ud800' }, /^entity: contains a lone surrogate \(U\+D800\)/],
    ['a lone surrogate in a props key', { ...ok, props: { ['k\udc00']: 1 } }, /^props: key contains a lone surrogate/],
    ['an emoji (a surrogate pair)', { ...ok, props: { note: '😀' } }, null],
    ['props nested 64 levels', { ...ok, props: nested(63) }, null],
    ['props nested 20,000 levels', { ...ok, props: nested(20000) }, /^props: nested deeper than 64 levels$/],
    ['a time in year 0000', { ...ok, ts: '0000-01-01T00:00:00Z' }, /^ts: year 0000 cannot be stored$/],
    ['a time with offset +16:00', { ...ok, ts: '2026-11-21T23:00:00+16:00' }, /^ts: offset \+16:00 cannot be stored/],
    ['a time with offset −23:00', { ...ok, ts: '2026-11-21T00:00:00-23:00' }, /^ts: offset -23:00 cannot be stored/],
    ['a time before year 1 in UTC', { ...ok, ts: '0001-01-01T00:00:00+15:00' }, /^ts: falls before the year 1 in UTC$/],
    ['a time in year 9999', { ...ok, ts: '9999-12-31T00:00:00Z' }, /in the future/],
  ])('%s', (_name, record, expected) => {
    const verdict = validateRecord(record, ctx);
    if (expected === null) expect(verdict.ok).toBe(true);
    else expect(verdict.ok ? 'accepted' : verdict.reason).toMatch(expected);
  });
});

it('keeps props exactly as sent, a `__proto__` key included (zod would turn it into a prototype)', () => {
  const props = JSON.parse('{"__proto__":{"x":1},"constructor":"c"}') as Record<string, unknown>;
  const verdict = validateRecord({ ...ok, props }, ctx);
  expect(verdict.ok && JSON.stringify(verdict.record.props)).toBe('{"__proto__":{"x":1},"constructor":"c"}');
});

describe('storableRaw', () => {
  it('keeps a storable record as it came', () => {
    const raw = { a: '\\u0000', b: ['😀'] };
    expect(storableRaw(raw)).toBe(raw);
  });
  it('keeps an unstorable one as an altered copy that says why: U+FFFD for NUL', () => {
    expect(storableRaw({ a: 'x\u0000y', b: ['\u0000'] })).toEqual({
      'cityops:altered': 'a: contains a NUL character (U+0000), which cannot be stored',
      record: { a: 'x\ufffdy', b: ['\ufffd'] },
    });
  });
  it('replaces lone surrogates, in keys too, and keeps surrogate pairs and the order of keys', () => {
    expect(storableRaw({ ['k\ud800']: 'v\udc00', z: '😀', a: 1 })).toMatchObject({ record: { ['k\ufffd']: 'v\ufffd', z: '😀', a: 1 } });
    expect(Object.keys((storableRaw({ b: 1, a: '\u0000', c: 2 }) as { record: object }).record)).toEqual(['b', 'a', 'c']);
  });
  it('cuts off what is nested deeper than 64 levels (the wrapper included), with a note, without recursing', () => {
    const kept = storableRaw({ props: nested(20000) }) as { 'cityops:altered': string; record: { props: unknown } };
    expect(kept['cityops:altered']).toBe('props.a.a.a…: nested deeper than 64 levels');
    let depth = 0;
    let node: unknown = kept.record.props;
    while (typeof node === 'object' && node !== null) {
      node = (node as { a: unknown }).a;
      depth++;
    }
    expect(depth).toBe(62);
    expect(node).toMatch(/nested deeper than 64 levels, not kept/);
    expect(findUnstorable(kept)).toBeNull();
  });
  it('writes a number JSON cannot carry as text instead of null', () => {
    expect(storableRaw({ v: Number('1e400') })).toMatchObject({ record: { v: 'Infinity' } });
  });
  it('is recognised when kept, so a replay does not take the copy for what was sent', () => {
    expect(alteredRawReason(storableRaw({ id: 'a\u0000' }))).toBe('id: contains a NUL character (U+0000), which cannot be stored');
    expect(alteredRawReason({ id: 'a' })).toBeNull();
  });
});
