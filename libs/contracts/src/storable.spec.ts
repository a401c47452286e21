import { databaseIdSchema, findUnstorable, MAX_JSON_DEPTH, pathText, storableTimestampSchema, unstorableTimeReason } from './storable';

/** `{"a":{"a":…1}}`, `depth` objects deep, built as text: building it as objects would itself recurse. */
const nestedObject = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('unstorableTimeReason (what timestamptz cannot hold, or cannot give back as it was sent)', () => {
  it.each([
    ['a time in UTC', '2026-05-01T08:00:00Z', null],
    ['a time in China', '2026-05-01T08:00:00+08:00', null],
    ['the largest offset PostgreSQL takes', '2026-05-01T08:00:00+15:59', null],
    ['the smallest', '2026-05-01T08:00:00-15:59', null],
    ['nanoseconds (PostgreSQL rounds them to microseconds)', '2026-05-01T08:00:00.123456789Z', null],
    ['the first instant of year 1', '0001-01-01T00:00:00Z', null],
    ['the last instant of year 9999', '9999-12-31T23:59:59.999Z', null],
    ['year 0000', '0000-06-01T00:00:00Z', 'year 0000 cannot be stored'],
    ['offset +16:00', '2026-05-01T08:00:00+16:00', 'offset +16:00 cannot be stored (at most ±15:59)'],
    ['offset −23:00', '2026-05-01T08:00:00-23:00', 'offset -23:00 cannot be stored (at most ±15:59)'],
    ['year 1 shifted into year 0 by its offset', '0001-01-01T00:00:00+15:00', 'falls before the year 1 in UTC'],
    ['year 9999 shifted into 10000 by its offset', '9999-12-31T23:59:59-15:59', 'falls after the year 9999 in UTC'],
  ])('%s', (_name, time, expected) => {
    expect(unstorableTimeReason(time)).toBe(expected);
  });

  it('is part of the timestamp schema every input time goes through', () => {
    expect(storableTimestampSchema.safeParse('2026-05-01T08:00:00+08:00').success).toBe(true);
    expect(storableTimestampSchema.safeParse('0000-01-01T00:00:00Z').error?.issues[0].message).toBe('year 0000 cannot be stored');
    expect(storableTimestampSchema.safeParse('2026-05-01T08:00:00').success).toBe(false);
  });
});

describe('findUnstorable (text PostgreSQL refuses, nesting our code must not recurse into)', () => {
  it.each([
    ['plain values', { id: 'a', n: 1, list: [true, null, 'x'], nested: { deeper: ['中文', '😀'] } }, null],
    ['a NUL in a value', { props: { note: 'a\u0000b' } }, { path: ['props', 'note'], message: /NUL character \(U\+0000\)/ }],
    ['a NUL in a key', { props: { 'a\u0000': 1 } }, { path: ['props', 'a\u0000'], message: /^key contains a NUL/ }],
    ['a lone high surrogate', ['ok', 'x\ud800'], { path: [1], message: /lone surrogate \(U\+D800\)/ }],
    ['a lone low surrogate', { s: '\udc00y' }, { path: ['s'], message: /lone surrogate \(U\+DC00\)/ }],
    ['a surrogate pair (an emoji) is fine', { s: '\ud83d\ude00' }, null],
    ['a reversed pair', { s: '\ude00\ud83d' }, { path: ['s'], message: /lone surrogate \(U\+DE00\)/ }],
    ['the text "\\u0000" (a backslash, not a NUL)', { s: '\\u0000' }, null],
    [
      'a number JSON.parse read as Infinity (1e400)',
      { props: { v: Number(JSON.parse('1e400')) } },
      { path: ['props', 'v'], message: /beyond ±1\.8e308/ },
    ],
  ])('%s', (_name, value, expected) => {
    const found = findUnstorable(value);
    if (expected === null) expect(found).toBeNull();
    else {
      expect(found?.path).toEqual(expected.path);
      expect(found?.message).toMatch(expected.message);
    }
  });

  it(`takes ${MAX_JSON_DEPTH} levels of nesting and refuses the next one`, () => {
    expect(findUnstorable(nestedObject(MAX_JSON_DEPTH))).toBeNull();
    const found = findUnstorable(nestedObject(MAX_JSON_DEPTH + 1));
    expect(found?.message).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(found?.path).toHaveLength(MAX_JSON_DEPTH);
  });

  it('answers a value nested 20,000 deep (which JSON.parse accepts) without overflowing the stack', () => {
    expect(findUnstorable(nestedObject(20000))?.message).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(findUnstorable(JSON.parse(`${'['.repeat(20000)}${']'.repeat(20000)}`))?.message).toMatch(/nested deeper/);
  });

  it('writes a path short enough to read', () => {
    expect(pathText([])).toBe('(root)');
    expect(pathText(['props', 'a', 0])).toBe('props.a.0');
    expect(
      pathText(
        Array.from({ length: 20 }, () => 'a'),
        3,
      ),
    ).toBe('a.a.a…');
  });
});

describe('databaseIdSchema (ids of PostgreSQL integer columns, from a path or query)', () => {
  it.each([
    ['1', true],
    ['2147483647', true],
    ['2147483648', false],
    ['0', false],
    ['-1', false],
    ['1.5', false],
    ['99999999999999999999', false],
    ['abc', false],
  ])('%s → %s', (text, ok) => {
    expect(databaseIdSchema.safeParse(text).success).toBe(ok);
  });
});
