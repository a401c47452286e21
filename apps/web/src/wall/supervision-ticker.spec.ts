import { describe, expect, it } from '@jest/globals';
import type { CaseChangedEvent, CaseSummary } from '@cityops/contracts';
import {
  addNotice,
  isFading,
  liveNotices,
  noticeOf,
  TICKER_FADE_AFTER_MS,
  TICKER_MAX_NOTICES,
  type SupervisionNotice,
} from './supervision-ticker';

const summary = (code: string, level: number | null): CaseSummary => ({
  code,
  category: 'road_damage',
  categoryName: '道路破损',
  categoryNameEn: 'Road damage',
  categoryGroup: 'urban',
  description: '路面坑洞',
  address: null,
  location: [113.33, 23.13],
  gridCode: 'g1',
  gridName: '网格一',
  districtCode: '440106',
  districtName: '天河区',
  priority: 'normal',
  source: 'grid_worker',
  state: 'dispatched',
  department: 'th-urban-management',
  departmentName: '天河区城管',
  departmentNameEn: null,
  reportedAt: '2026-03-02T01:00:00.000Z',
  createdAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T05:00:00.000Z',
  acceptDueAt: '2026-03-02T03:00:00.000Z',
  resolveDueAt: null,
  overdue: 'accept',
  supervision:
    level === null
      ? null
      : { stage: 'accept', level, areaCode: '440106', areaName: '天河区', areaLevel: 'district', at: '2026-03-02T05:00:00.000Z' },
});

const event = (code: string, level: number | null, action = 'supervised'): CaseChangedEvent => ({ action, case: summary(code, level) });

const notice = (code: string, level: number, heardAt = 0): SupervisionNotice => {
  const n = noticeOf(event(code, level), heardAt);
  if (!n) throw new Error('a supervised event makes a notice');
  return n;
};

describe('the 督办 ticker', () => {
  it('makes a notice of a supervision only, naming its level, stage and supervising area', () => {
    expect(noticeOf(event('GZ-TH-20260302-0001', 3), 1000)).toMatchObject({
      key: 'GZ-TH-20260302-0001:3',
      level: 3,
      stage: 'accept',
      areaName: '天河区',
      districtName: '天河区',
      heardAt: 1000,
    });
    expect(noticeOf(event('GZ-TH-20260302-0001', 3, 'accept'), 0)).toBeNull();
    expect(noticeOf(event('GZ-TH-20260302-0001', null), 0)).toBeNull();
  });

  it('puts the newest first and holds at most its bound, dropping the oldest', () => {
    let list: readonly SupervisionNotice[] = [];
    for (let i = 1; i <= TICKER_MAX_NOTICES + 3; i++) list = addNotice(list, notice(`C-${i}`, 1, i));
    expect(list).toHaveLength(TICKER_MAX_NOTICES);
    expect(list[0].code).toBe(`C-${TICKER_MAX_NOTICES + 3}`);
    expect(list.at(-1)?.code).toBe('C-4');
  });

  it('shows a case once per level: the same level heard again changes nothing, a higher level is a new notice', () => {
    const first = addNotice([], notice('C-1', 1, 10));
    expect(addNotice(first, notice('C-1', 1, 20))).toBe(first);
    const raised = addNotice(first, notice('C-1', 2, 30));
    expect(raised.map((n) => n.key)).toEqual(['C-1:2', 'C-1:1']);
  });

  it('lets a notice fade in its last minute and leave after its time, keeping the list when none left', () => {
    const list = [notice('C-2', 2, 60_000), notice('C-1', 1, 0)];
    expect(liveNotices(list, 1000)).toBe(list);
    expect(isFading(list[1], TICKER_FADE_AFTER_MS - 30_000)).toBe(true);
    expect(isFading(list[0], TICKER_FADE_AFTER_MS - 30_000)).toBe(false);
    expect(liveNotices(list, TICKER_FADE_AFTER_MS).map((n) => n.code)).toEqual(['C-2']);
    expect(liveNotices(list, TICKER_FADE_AFTER_MS + 60_000)).toEqual([]);
  });
});
