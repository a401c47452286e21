import { describe, expect, it } from '@jest/globals';
import {
  formatClock,
  formatDate,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
  formatRelative,
  formatSpan,
} from './format';

// 2026-11-01 23:30:05 UTC is 2026-11-02 07:30:05 in Guangzhou (UTC+8, no daylight saving): the
// day differs, so a formatter that used the machine's zone or UTC would show it.
const LATE_UTC = '2026-11-01T23:30:05Z';

describe('formatters (Guangzhou time, both languages)', () => {
  it('shows clock and date-time in Guangzhou time whatever the machine zone', () => {
    expect(formatClock(LATE_UTC)).toBe('07:30:05');
    expect(formatClock(Date.parse('2026-01-01T16:00:00Z'))).toBe('00:00:00');
    expect(formatDateTime(LATE_UTC)).toBe('2026-11-02 07:30:05');
    expect(formatDateTime(new Date('2026-02-28T16:59:59.999Z'))).toBe('2026-03-01 00:59:59');
  });

  it('shows a value that is not a time as it came rather than "Invalid Date"', () => {
    expect(formatDateTime('not a time')).toBe('not a time');
  });

  it('writes the date in each language, on the Guangzhou day', () => {
    const date = new Date(LATE_UTC);
    expect(formatDate(date, 'zh')).toBe('2026年11月2日星期一');
    expect(formatDate(date, 'en')).toBe('Mon, 2 Nov 2026');
  });

  it.each([
    ['groups thousands', 20000, 'zh', '20,000'],
    ['groups thousands in English too', 1234567, 'en', '1,234,567'],
    ['rounds to a whole number', 1234.5, 'en', '1,235'],
  ] as const)('formatInteger %s', (_name, value, lang, expected) => {
    expect(formatInteger(value, lang)).toBe(expected);
  });

  it.each([
    [0.8, '80%'],
    [1, '100%'],
    [1.18, '118%'],
    [0.004, '0%'],
  ])('formatPercent(%p) is %p', (ratio, expected) => {
    expect(formatPercent(ratio)).toBe(expected);
  });

  it('formatNumber keeps up to three decimals with grouping', () => {
    expect(formatNumber(1234.56789, 'en')).toBe('1,234.568');
    expect(formatNumber(35.5, 'zh')).toBe('35.5');
  });

  it.each([
    ['seconds only', 42_000, 'zh', '42秒'],
    ['minutes and padded seconds', 65_000, 'en', '1m 05s'],
    ['hours and padded minutes, seconds dropped', 3_723_000, 'en', '1h 02m'],
    ['hours in Chinese', 7_260_000, 'zh', '2小时01分'],
    ['a negative span (clock skew) as zero', -5_000, 'en', '0s'],
  ] as const)('formatDuration: %s', (_name, ms, lang, expected) => {
    expect(formatDuration(ms, lang)).toBe(expected);
  });

  const now = Date.parse('2026-11-02T00:00:00Z');
  it.each([
    ['under a second is "just now"', now - 900, 'zh', '刚刚'],
    ['seconds ago', now - 3_000, 'zh', '3 秒前'],
    ['minutes ago, rounded down', now - 119_000, 'en', '1 min ago'],
    ['hours ago up to two days', now - 47 * 3600_000, 'en', '47 h ago'],
    ['days ago after that', now - 49 * 3600_000, 'zh', '2 天前'],
    ['in the future (a planned run)', now + 120_000, 'en', 'in 2 min'],
    ['in the future, Chinese', now + 5_000, 'zh', '5 秒后'],
  ] as const)('formatRelative: %s', (_name, at, lang, expected) => {
    expect(formatRelative(at, now, lang)).toBe(expected);
  });

  it.each([
    ['seconds that are not whole minutes', 90, 'en', '90 s'],
    ['whole minutes', 900, 'zh', '15 分钟'],
    ['whole hours', 7200, 'en', '2 h'],
    ['whole days', 2 * 86400, 'en', '2 days'],
    ['a day and an hour in hours', 90000, 'zh', '25 小时'],
  ] as const)('formatSpan: %s', (_name, seconds, lang, expected) => {
    expect(formatSpan(seconds, lang)).toBe(expected);
  });
});
