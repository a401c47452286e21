import { describe, expect, it } from '@jest/globals';
import { translate } from '../i18n';
import { eventLabel, localized, supervisionText } from './case-labels';

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('en', key, params);

describe('case labels', () => {
  it('names every timeline entry the server writes, and leaves an unknown one to be shown as it is', () => {
    expect(eventLabel('dispatch')).toBe('caseActionDispatch');
    expect(['filed', 'note', 'escalated', 'supervised', 'split', 'split_from', 'merged_in', 'detected'].map(eventLabel)).not.toContain(
      null,
    );
    expect(eventLabel('teleported')).toBeNull();
  });

  it('says who supervises an overdue case, by the area’s name or else its level', () => {
    const at = '2026-11-30T02:00:00.000Z';
    expect(
      supervisionText({ stage: 'accept', level: 2, areaCode: '440106001', areaName: '天河区第1街道', areaLevel: 'street', at }, zh),
    ).toBe('天河区第1街道督办（受理）');
    expect(supervisionText({ stage: 'resolve', level: 4, areaCode: null, areaName: null, areaLevel: null, at }, en)).toBe(
      'Supervised by the command centre (resolve)',
    );
  });

  it('uses the English name where the page speaks English and there is one', () => {
    expect(localized('林业和园林', 'Forestry and Gardens', 'en')).toBe('Forestry and Gardens');
    expect(localized('林业和园林', null, 'en')).toBe('林业和园林');
    expect(localized('林业和园林', 'Forestry and Gardens', 'zh')).toBe('林业和园林');
  });
});
