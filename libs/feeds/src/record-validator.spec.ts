import { storableRaw, validateRecord, type ValidationContext } from './record-validator';

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
    ['a NUL character', { ...ok, props: { note: 'a\u0000b' } }, /NUL character/],
  ])('%s', (_name, record, expected) => {
    const verdict = validateRecord(record, ctx);
    if (expected === null) expect(verdict.ok).toBe(true);
    else expect(verdict.ok ? 'accepted' : verdict.reason).toMatch(expected);
  });
});

describe('storableRaw', () => {
  it('replaces NUL characters so the raw record can still be kept', () => {
    expect(storableRaw({ a: 'x\u0000y', b: ['\u0000'] })).toEqual({ a: 'x\ufffdy', b: ['\ufffd'] });
  });
  it('leaves a literal backslash-u0000 text alone', () => {
    const raw = { a: '\\u0000' };
    expect(storableRaw(raw)).toBe(raw);
  });
});
