import { describe, expect, it } from '@jest/globals';
import { translate, type MessageKey, type Params } from '../../i18n';
import {
  auditCsvFileName,
  auditFilterProblems,
  auditQueryOf,
  cityTimeToIso,
  currentCursor,
  FIRST_PAGE,
  NO_AUDIT_FILTER,
  newerPage,
  olderPage,
} from './audit-query';

const zh = (key: MessageKey, params?: Params) => translate('zh', key, params);

describe('the audit page’s filters', () => {
  it('reads typed times as Guangzhou time, whatever the zone of the machine', () => {
    expect(cityTimeToIso('2026-11-29T09:30')).toBe('2026-11-29T09:30:00+08:00');
    expect(cityTimeToIso('2026-11-29T09:30:15')).toBe('2026-11-29T09:30:15+08:00');
    expect(Date.parse(cityTimeToIso('2026-11-29T09:30')!)).toBe(Date.parse('2026-11-29T01:30:00Z'));
    // As the page shows times, and a date alone as its midnight.
    expect(cityTimeToIso(' 2026-11-29 09:30:15 ')).toBe('2026-11-29T09:30:15+08:00');
    expect(cityTimeToIso('2026-11-29')).toBe('2026-11-29T00:00:00+08:00');
    expect(cityTimeToIso('2026-13-40T09:30')).toBeNull();
    expect(cityTimeToIso('2026-02-30 09:30')).toBeNull();
    expect(cityTimeToIso('2026-11-29 24:30')).toBeNull();
    expect(cityTimeToIso('yesterday')).toBeNull();
  });

  it('sends only the filters that are set, trimmed', () => {
    expect(auditQueryOf(NO_AUDIT_FILTER)).toEqual({});
    expect(
      auditQueryOf({
        ...NO_AUDIT_FILTER,
        actor: ' admin ',
        action: 'user.',
        outcome: 'denied',
        from: '2026-11-29T00:00',
        to: '2026-11-30T00:00',
      }),
    ).toEqual({ actor: 'admin', action: 'user.', outcome: 'denied', from: '2026-11-29T00:00:00+08:00', to: '2026-11-30T00:00:00+08:00' });
  });

  it('refuses a range that ends before it starts, and an unreadable time', () => {
    expect(auditFilterProblems({ ...NO_AUDIT_FILTER, from: '2026-11-30T00:00', to: '2026-11-29T00:00' }, zh)).toEqual({
      to: ['截止时间必须晚于起始时间'],
    });
    expect(auditFilterProblems({ ...NO_AUDIT_FILTER, from: 'soon' }, zh)).toEqual({ from: ['请按 2026-11-29 08:00 的格式填写'] });
    expect(auditFilterProblems({ ...NO_AUDIT_FILTER, from: '2026-11-29T00:00' }, zh)).toEqual({});
  });

  it('names a downloaded file by the Guangzhou date and time', () => {
    expect(auditCsvFileName(new Date('2026-11-29T16:05:00Z'))).toBe('cityops-audit-20261130-0005.csv');
  });

  it('pages back to older events and forward again to the newest', () => {
    let paging = FIRST_PAGE;
    expect(currentCursor(paging)).toBeNull();
    paging = olderPage(paging, 900);
    paging = olderPage(paging, 800);
    expect(currentCursor(paging)).toBe(800);
    paging = newerPage(paging);
    expect(currentCursor(paging)).toBe(900);
    paging = newerPage(newerPage(paging));
    expect(paging).toEqual(FIRST_PAGE);
  });
});
