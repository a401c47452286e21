import { describe, expect, it } from '@jest/globals';
import { ALERT_CHANGES, WEBHOOK_TEST_CHANGE } from '@cityops/contracts';
import { translate, type Lang, type Translate } from '../../i18n';
import { changeLabel, filterSummary } from './webhook-labels';

const t =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

describe('webhook labels', () => {
  it.each<Lang>(['zh', 'en'])('gives every change a delivery can carry its own words in %s', (lang) => {
    const changes = [...ALERT_CHANGES, WEBHOOK_TEST_CHANGE];
    const labels = changes.map((c) => changeLabel(t(lang), c));
    expect(labels.filter((label, i) => label === changes[i])).toEqual([]);
    expect(new Set(labels).size).toBe(changes.length);
  });

  it('shows a change this build does not know as its code', () => {
    expect(changeLabel(t('zh'), 'rerouted')).toBe('rerouted');
  });

  it('names the chosen changes of a filter in words', () => {
    expect(filterSummary(t('zh'), { changes: ['fired', 'resolved'] })).toEqual(['变化类型: 触发, 已解除']);
    expect(filterSummary(t('en'), { changes: ['fired', 'resolved'] })).toEqual(['Changes: Fired, Resolved']);
  });
});
