import { describe, expect, it } from '@jest/globals';
import { serverMessage } from '../forms/server-messages';
import { translate } from '../i18n';
import { CASE_ACTION_REFUSED, CASE_MOVED_ON, caseRefusalText, movedOnState } from './case-server-messages';

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);

describe('what a refused case action says', () => {
  it('says a case that moved on since it was read, naming the state it is in now', () => {
    const detail = 'Case GZ-TH-20261130-0001 is dispatched now: look at it again before acting.';
    expect(movedOnState(detail)).toBe('dispatched');
    expect(caseRefusalText(CASE_MOVED_ON, detail, zh)).toBe('此案件已被他人处理，现为“已派遣”。已重新载入，请查看后再操作。');
    expect(caseRefusalText(CASE_MOVED_ON, detail, en)).toContain('it is “Dispatched” now');
  });

  it('says why the workflow refused, by the detail the server wrote; an unknown one is left as written', () => {
    expect(caseRefusalText(CASE_ACTION_REFUSED, 'accept: the case is not your department’s.', zh)).toBe('案件不属于您的部门。');
    expect(caseRefusalText(CASE_ACTION_REFUSED, 'dispatch: not from the state the case is in.', en)).toContain('state the case is in');
    expect(caseRefusalText(CASE_ACTION_REFUSED, 'verify: the case lies outside your areas.', zh)).toBe('案件不在您的管辖范围内。');
    expect(caseRefusalText(CASE_ACTION_REFUSED, 'something new', zh)).toBeNull();
    expect(caseRefusalText('about:blank', 'whatever', zh)).toBeNull();
  });

  it('says the workflow’s field messages in the page’s language', () => {
    expect(serverMessage('a reason is required', zh)).toBe('请填写原因');
    expect(serverMessage('no such department (GET /api/departments)', zh)).toBe('没有这个部门');
    expect(serverMessage('that case is closed: merge into one still open', en)).toBe('That case has ended: merge into one still open');
    // The statistics window refused (`to` not after `from`).
    expect(serverMessage('must be after from', zh)).toBe('结束时间必须晚于开始时间');
    expect(serverMessage('must be after from', en)).toBe('The end must be after the start');
  });
});
