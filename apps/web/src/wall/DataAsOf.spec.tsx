import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { setLang } from '../i18n';
import { DataAsOf, minutesOld, newestReading } from './DataAsOf';

describe('the wall’s data-as-of label', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2026-11-30T02:10:00Z'));
    setLang('zh');
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('takes the newest reading of every event it is given', () => {
    const at = (ts: string) => ({ values: [{ ts }] });
    expect(newestReading([at('2026-11-30T02:00:00Z'), null, at('2026-11-30T02:05:00Z'), { values: [] }])).toBe(
      Date.parse('2026-11-30T02:05:00Z'),
    );
    expect(newestReading([null])).toBeNull();
    expect(minutesOld(Date.parse('2026-11-30T02:05:00Z'), Date.now())).toBe(5);
    expect(minutesOld(Date.now() - 5_000, Date.now())).toBe(1);
  });

  it('always says the time of the newest reading, and how old it is once the connection is down', () => {
    const newest = Date.parse('2026-11-30T02:07:00Z');
    const { rerender } = render(<DataAsOf newestTs={newest} status="connected" />);
    const label = screen.getByTestId('data-as-of');
    expect(label.textContent).toMatch(/^数据截至 \d\d:\d\d:\d\d$/);
    expect(label.className).not.toContain('offline');

    rerender(<DataAsOf newestTs={newest} status="disconnected" />);
    expect(screen.getByTestId('data-as-of').textContent).toContain('3 分钟前');
    expect(screen.getByTestId('data-as-of').className).toContain('data-as-of--offline');

    rerender(<DataAsOf newestTs={null} status="connecting" />);
    expect(screen.getByTestId('data-as-of').textContent).toBe('数据截至 —');
  });
});
