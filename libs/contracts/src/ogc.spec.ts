import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT, ogcItemsQuerySchema } from './ogc';

const parse = (query: Record<string, string>) => ogcItemsQuerySchema.safeParse(query);
const problem = (query: Record<string, string>) => {
  const result = parse(query);
  if (result.success) throw new Error(`${JSON.stringify(query)} was accepted`);
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('OGC API items query (bbox, datetime, limit, offset)', () => {
  it('takes the defaults when nothing is given', () => {
    expect(parse({})).toEqual({ success: true, data: { limit: OGC_DEFAULT_LIMIT, offset: 0 } });
  });

  describe('bbox', () => {
    it.each([
      ['113.2,23.1,113.4,23.2', [113.2, 23.1, 113.4, 23.2]],
      [' -180 , -90 , 180 , 90 ', [-180, -90, 180, 90]],
      ['113,23,113,23', [113, 23, 113, 23]],
    ])('reads %s', (bbox, expected) => {
      expect(parse({ bbox }).data?.bbox).toEqual(expected);
    });

    it.each([
      ['113.2,23.1,113.4', 'four numbers'],
      ['113.2,23.1,0,113.4,23.2,10', 'four numbers'],
      ['113.2,23.1,east,23.2', 'every value is a number'],
      ['113.2,,113.4,23.2', 'every value is a number'],
      ['113.2,23.1,181,23.2', 'longitudes'],
      ['113.2,-91,113.4,23.2', 'latitudes'],
      ['113.2,23.3,113.4,23.2', 'minLat is greater'],
      ['170,0,-170,10', 'antimeridian'],
    ])('refuses %s, naming bbox', (bbox, words) => {
      const [issue] = problem({ bbox });
      expect(issue.path).toBe('bbox');
      expect(issue.message).toContain(words);
    });
  });

  describe('datetime', () => {
    const at = (iso: string) => new Date(iso);

    it.each([
      ['2026-11-30T08:00:00Z', { start: at('2026-11-30T08:00:00Z'), end: at('2026-11-30T08:00:00Z') }],
      ['2026-11-30t16:00:00.5+08:00', { start: at('2026-11-30T08:00:00.5Z'), end: at('2026-11-30T08:00:00.5Z') }],
      ['2026-11-30T08:00:00Z/2026-11-30T09:00:00Z', { start: at('2026-11-30T08:00:00Z'), end: at('2026-11-30T09:00:00Z') }],
      ['../2026-11-30T09:00:00Z', { start: null, end: at('2026-11-30T09:00:00Z') }],
      ['2026-11-30T08:00:00Z/..', { start: at('2026-11-30T08:00:00Z'), end: null }],
      ['2026-11-30T08:00:00Z/', { start: at('2026-11-30T08:00:00Z'), end: null }],
    ])('reads %s', (datetime, expected) => {
      expect(parse({ datetime }).data?.datetime).toEqual(expected);
    });

    it.each([
      ['yesterday', 'RFC 3339'],
      ['2026-11-30', 'RFC 3339'],
      ['2026-11-30T08:00:00', 'RFC 3339'],
      ['2026-13-30T08:00:00Z', 'RFC 3339'],
      ['../..', 'at least one end'],
      ['2026-11-30T08:00:00Z/soon', 'each end'],
      ['2026-11-30T09:00:00Z/2026-11-30T08:00:00Z', 'starts after it ends'],
      ['a/b/c', 'one "/"'],
    ])('refuses %s, naming datetime', (datetime, words) => {
      const [issue] = problem({ datetime });
      expect(issue.path).toBe('datetime');
      expect(issue.message).toContain(words);
    });
  });

  describe('limit and offset', () => {
    it(`reads a limit above ${OGC_MAX_LIMIT} as ${OGC_MAX_LIMIT}, as OGC API – Features recommends`, () => {
      expect(parse({ limit: String(OGC_MAX_LIMIT + 1) }).data?.limit).toBe(OGC_MAX_LIMIT);
      expect(parse({ limit: '7', offset: '14' }).data).toMatchObject({ limit: 7, offset: 14 });
    });

    it.each([
      [{ limit: '0' }, 'limit'],
      [{ limit: '-3' }, 'limit'],
      [{ limit: '2.5' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ offset: '-1' }, 'offset'],
    ])('refuses %j, naming %s', (query, path) => {
      expect(problem(query).map((i) => i.path)).toEqual([path]);
    });
  });

  it('refuses a parameter it does not know, and any format but json', () => {
    expect(problem({ colour: 'red' })[0].message).toMatch(/colour/);
    expect(problem({ f: 'html' }).map((i) => i.path)).toEqual(['f']);
  });
});
