import { ingestRecordSchema } from '@cityops/contracts';
import { headcountRecords, toChinaTime } from './marathon-records';

describe('headcountRecords', () => {
  const at = new Date('2026-11-22T00:00:03.000Z');

  it('stamps China Standard Time', () => {
    expect(toChinaTime(at)).toBe('2026-11-22T08:00:03.000+08:00');
    expect(toChinaTime(new Date('2026-11-22T17:30:00.250Z'))).toBe('2026-11-23T01:30:00.250+08:00');
  });

  it('builds one valid, idempotent record per zone', () => {
    const records = headcountRecords(
      [
        { code: 'GZM-01', headcount: 1234 },
        { code: 'GZM-02', headcount: 0 },
      ],
      at,
    );
    expect(records).toEqual([
      {
        id: `GZM-01-${at.getTime()}`,
        entity: 'GZM-01',
        metric: 'headcount',
        value: 1234,
        ts: '2026-11-22T08:00:03.000+08:00',
        area: 'GZM-01',
        props: { source: 'demo-simulator' },
      },
      expect.objectContaining({ id: `GZM-02-${at.getTime()}`, value: 0, area: 'GZM-02' }),
    ]);
    for (const record of records) expect(ingestRecordSchema.parse(record)).toEqual(record);
  });
});
