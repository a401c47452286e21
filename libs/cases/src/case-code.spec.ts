import { caseDay, formatCaseCode, parseCaseCode } from './case-code';

describe('case codes', () => {
  it('reads GZ-TH-20261129-0042: city, district, local day, the day’s number in four digits or more', () => {
    expect(formatCaseCode({ city: 'GZ', district: 'TH', day: '20261129', seq: 42 })).toBe('GZ-TH-20261129-0042');
    expect(formatCaseCode({ city: 'GZ', district: 'TH', day: '20261129', seq: 12345 })).toBe('GZ-TH-20261129-12345');
  });

  it('takes the day in local time: 23:30 in Guangzhou is still that day, though UTC says the day before or after', () => {
    expect(caseDay(new Date('2026-11-29T15:30:00Z'), 480)).toBe('20261129'); // 23:30 local
    expect(caseDay(new Date('2026-11-29T16:30:00Z'), 480)).toBe('20261130'); // 00:30 local
    expect(caseDay(new Date('2026-11-28T17:00:00Z'), 480)).toBe('20261129'); // 01:00 local
  });

  it('parses what it formats, in any case and with spaces around, and nothing else', () => {
    expect(parseCaseCode(' gz-th-20261129-0042 ')).toEqual({ city: 'GZ', district: 'TH', day: '20261129', seq: 42 });
    for (const text of ['GZ-TH-2026112-0042', 'GZ-TH-20261129-042', 'GZ-天河-20261129-0042', 'GZ-TH-20261129-0000', '天河区', '']) {
      expect({ text, parsed: parseCaseCode(text) }).toEqual({ text, parsed: null });
    }
  });

  it.each([
    ['a lower-case city', { city: 'gz', district: 'TH', day: '20261129', seq: 1 }],
    ['a district in Chinese', { city: 'GZ', district: '天河', day: '20261129', seq: 1 }],
    ['a day that is not eight digits', { city: 'GZ', district: 'TH', day: '2026-11-29', seq: 1 }],
    ['number 0', { city: 'GZ', district: 'TH', day: '20261129', seq: 0 }],
    ['a fractional number', { city: 'GZ', district: 'TH', day: '20261129', seq: 1.5 }],
  ])('refuses %s', (_what, parts) => {
    expect(() => formatCaseCode(parts)).toThrow(RangeError);
  });
});
