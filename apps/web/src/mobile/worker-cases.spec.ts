import { describe, expect, it } from '@jest/globals';
import type { CaseSummary } from '@cityops/contracts';
import { translate } from '../i18n';
import { currentDeadline, departmentOf, mayClose, mayVerify, orderForWorker, withPhotoMention } from './worker-cases';

const summary = (code: string, state: CaseSummary['state'], createdAt: string, extra: Partial<CaseSummary> = {}): CaseSummary =>
  ({
    code,
    state,
    createdAt,
    acceptDueAt: null,
    resolveDueAt: null,
    overdue: null,
    ...extra,
  }) as CaseSummary;

describe('the worker’s open cases', () => {
  it('puts the cases waiting for the check on site first, each part newest first', () => {
    const ordered = orderForWorker([
      summary('A', 'dispatched', '2026-11-30T09:00:00+08:00'),
      summary('B', 'resolved', '2026-11-29T09:00:00+08:00'),
      summary('C', 'in_progress', '2026-11-30T10:00:00+08:00'),
      summary('D', 'resolved', '2026-11-30T08:00:00+08:00'),
    ]);
    expect(ordered.map((c) => c.code)).toEqual(['D', 'B', 'C', 'A']);
  });

  it('shows the deadline of the stage the case is in, marked when passed', () => {
    const due = { acceptDueAt: '2026-12-01T10:00:00+08:00', resolveDueAt: '2026-12-03T10:00:00+08:00' };
    expect(currentDeadline(summary('A', 'dispatched', '', { ...due, overdue: 'accept' }))).toEqual({
      stage: 'accept',
      at: due.acceptDueAt,
      overdue: true,
    });
    expect(currentDeadline(summary('A', 'in_progress', '', due))).toEqual({ stage: 'resolve', at: due.resolveDueAt, overdue: false });
    expect(currentDeadline(summary('A', 'resolved', '', due))).toBeNull();
    expect(currentDeadline(summary('A', 'reported', '', {}))).toBeNull();
  });

  it('offers the check on site and the close only when the server lists the action', () => {
    expect(mayVerify({ state: 'resolved', availableActions: ['verify', 'reject'] })).toBe(true);
    expect(mayVerify({ state: 'resolved', availableActions: [] })).toBe(false);
    expect(mayClose({ state: 'verified', availableActions: ['close', 'cancel'] })).toBe(true);
    expect(mayClose({ state: 'verified', availableActions: [] })).toBe(false);
    expect(mayClose({ state: 'resolved', availableActions: ['close'] })).toBe(false);
  });

  it('names the on-site photos in the words the timeline keeps', () => {
    const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh', key, params);
    const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);
    const ids = ['0f8e2c1a-aaaa-4bbb-8ccc-000000000001'];
    expect(withPhotoMention('  已清理  ', [], zh)).toBe('已清理');
    expect(withPhotoMention('   ', [], zh)).toBeUndefined();
    expect(withPhotoMention('已清理', ids, zh)).toBe('已清理\n附现场核查照片 1 张（0f8e2c1a）');
    expect(withPhotoMention('', ids, en)).toBe('1 on-site check photo(s) attached (0f8e2c1a)');
  });

  it('names the department a case went to in the page’s language, the Chinese name standing in for a missing English one', () => {
    const sent = {
      department: 'th-urban-management',
      departmentName: '天河区城市管理和综合执法局',
      departmentNameEn: 'Tianhe Urban Management Bureau',
    };
    expect(departmentOf(sent, 'en')).toBe('Tianhe Urban Management Bureau');
    expect(departmentOf(sent, 'zh')).toBe('天河区城市管理和综合执法局');
    expect(departmentOf({ ...sent, departmentNameEn: null }, 'en')).toBe('天河区城市管理和综合执法局');
    // A filed case kept on the phone from before the English name was sent.
    expect(departmentOf({ department: 'water', departmentName: '水务' }, 'en')).toBe('水务');
    expect(departmentOf({ department: 'water', departmentName: null, departmentNameEn: null }, 'en')).toBe('water');
    expect(departmentOf({ department: null, departmentName: null, departmentNameEn: null }, 'en')).toBeNull();
  });
});
