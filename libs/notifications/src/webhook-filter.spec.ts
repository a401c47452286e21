import type { WebhookFilter } from '@cityops/contracts';
import { isSilenced, webhookMatches, type FilterableChange } from './webhook-filter';

const event = (change: string, alert: Partial<FilterableChange['alert']> = {}): FilterableChange => ({
  change,
  alert: { level: 'critical', indicatorKey: 'air.aqi', theme: 'environment', ...alert },
});

/** Scenario table: a filter, a change, whether the webhook hears of it. */
const SCENARIOS: [string, WebhookFilter, FilterableChange, boolean][] = [
  ['an empty filter lets every change through', {}, event('resolved', { level: 'notice' }), true],
  ['empty lists count as no condition', { levels: [], changes: [], themes: [], indicatorKeys: [] }, event('updated'), true],
  ['a level in the list', { levels: ['warning', 'critical'] }, event('escalated'), true],
  ['a level outside the list', { levels: ['critical'] }, event('escalated', { level: 'warning' }), false],
  ['a change in the list', { changes: ['escalated', 'resolved'] }, event('resolved'), true],
  ['a change outside the list', { changes: ['escalated'] }, event('acknowledged'), false],
  ['a theme in the list', { themes: ['environment', 'water'] }, event('updated'), true],
  ['a theme outside the list', { themes: ['traffic'] }, event('updated'), false],
  ['a theme filter and an alert that names no theme', { themes: ['environment'] }, event('updated', { theme: undefined }), false],
  ['an indicator in the list', { indicatorKeys: ['air.aqi'] }, event('updated'), true],
  ['an indicator outside the list', { indicatorKeys: ['water.depth'] }, event('updated'), false],
  [
    'every condition holding',
    { levels: ['critical'], changes: ['escalated'], themes: ['environment'], indicatorKeys: ['air.aqi'] },
    event('escalated'),
    true,
  ],
  ['all conditions but one holding', { levels: ['critical'], changes: ['resolved'], themes: ['environment'] }, event('escalated'), false],
];

describe('webhook filter', () => {
  it.each(SCENARIOS)('%s', (_name, filter, change, expected) => {
    expect(webhookMatches(filter, change)).toBe(expected);
  });

  it('treats an alert covered by a silence as silenced, and one without as not', () => {
    expect(isSilenced(event('updated', { silencedBy: '0b5a1e7e-0000-4000-8000-000000000001' }).alert)).toBe(true);
    expect(isSilenced(event('updated', { silencedBy: null }).alert)).toBe(false);
    expect(isSilenced(event('updated').alert)).toBe(false);
  });
});
