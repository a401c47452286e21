import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { IndicatorDefinitionView, SilenceView } from '@cityops/contracts';
import { answerAreaRequests, LIWAN } from '../admin/testing/demo-areas';
import { sessionUser } from '../admin/testing/session-user';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { settle } from '../testing/timers';
import { SilencesPage } from './SilencesPage';

const NOW = Date.parse('2026-11-29T10:00:00+08:00');
const MIN = 60_000;
const ID = '6f1f7c1e-4f0a-4e55-9d55-1d3b1f7c9a01';

function silence(patch: Partial<SilenceView> = {}): SilenceView {
  return {
    id: ID,
    indicatorKey: 'crowd.load',
    areaId: LIWAN.id,
    areaCode: LIWAN.code,
    theme: null,
    startsAt: new Date(NOW - 10 * MIN).toISOString(),
    endsAt: new Date(NOW + 50 * MIN).toISOString(),
    reason: '封路施工',
    createdBy: 'duty.operator',
    createdAt: new Date(NOW - 10 * MIN).toISOString(),
    expiredAt: null,
    active: true,
    ...patch,
  };
}

const INDICATOR = {
  key: 'crowd.load',
  name: '人流负荷',
  nameEn: 'Crowd load',
  theme: 'crowd',
} as IndicatorDefinitionView;

describe('SilencesPage', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    setLang('zh');
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function renderPage(silences: SilenceView[], cityWide = true) {
    render(<SilencesPage user={sessionUser({ roles: ['operator'], displayName: '值班员', cityWide })} />);
    api.only('/api/silences').reply(200, silences);
    api.only('/api/indicators').reply(200, [INDICATOR]);
    await settle();
    answerAreaRequests(api);
    await settle();
  }

  it('lists the silences in effect before the ended ones, naming the indicator, the area, who and why', async () => {
    await renderPage([
      silence({ id: `${ID.slice(0, -1)}2`, reason: '演练结束', expiredAt: new Date(NOW - 5 * MIN).toISOString(), active: false }),
      silence(),
    ]);
    const groups = screen.getAllByTestId('silence-group');
    expect(groups.map((g) => g.dataset.phase)).toEqual(['active', 'ended']);
    const active = within(groups[0]).getByTestId('silence-row');
    expect(within(active).getByTestId('silence-indicator').textContent).toBe('指标人流负荷');
    expect(within(active).getByTestId('silence-area').textContent).toContain('荔湾区');
    expect(active.textContent).toContain('封路施工');
    expect(active.textContent).toContain('duty.operator 设置');
    expect(active.textContent).toContain('50 分钟后结束');
    const ended = within(groups[1]).getByTestId('silence-row');
    expect(ended.textContent).toContain('提前结束');
    expect(within(ended).queryByTestId('silence-end')).toBeNull();
  });

  it('creates a silence from the form, and shows the server’s refusal under the field it names', async () => {
    await renderPage([]);
    fireEvent.click(screen.getByTestId('silence-create'));
    const form = screen.getByTestId('silence-form');
    fireEvent.click(within(form).getByTestId('silence-form-submit'));
    // Nothing to match and no reason: said on the fields, nothing sent.
    expect(api.pending('/api/silences')).toHaveLength(0);
    expect(form.querySelector('select[name="indicatorKey"]')?.getAttribute('aria-invalid')).toBe('true');
    expect(form.querySelector('textarea[name="reason"]')?.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(form.querySelector('select[name="indicatorKey"]') as HTMLSelectElement, { target: { value: 'crowd.load' } });
    fireEvent.click(within(form).getByLabelText('4 小时'));
    fireEvent.change(form.querySelector('textarea[name="reason"]') as HTMLTextAreaElement, { target: { value: '  江边灯光节彩排  ' } });
    expect(screen.getByTestId('silence-planned-end').textContent).toBe('至 2026-11-29 14:00:00 结束（广州时间）');
    fireEvent.click(within(form).getByTestId('silence-form-submit'));
    const post = api.only('/api/silences');
    expect(post.method).toBe('POST');
    expect(post.body).toEqual({ indicatorKey: 'crowd.load', endsAt: new Date(NOW + 240 * MIN).toISOString(), reason: '江边灯光节彩排' });
    post.reply(400, {
      type: 'urn:cityops:problem:validation',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: 'indicatorKey', message: 'no such indicator' }],
    });
    await settle();
    expect(
      within(form)
        .getAllByTestId('field-error')
        .map((e) => e.textContent),
    ).toEqual(['没有这个指标']);
    expect(form.querySelector('select[name="indicatorKey"]')?.getAttribute('aria-invalid')).toBe('true');

    fireEvent.click(within(form).getByTestId('silence-form-submit'));
    api.only('/api/silences').reply(201, silence({ reason: '江边灯光节彩排', areaId: null, areaCode: null }));
    await settle();
    expect(screen.queryByTestId('silence-form')).toBeNull();
    expect(screen.getByTestId('silences-notice').textContent).toBe('已开始静默：江边灯光节彩排');
    // The list is read again.
    expect(api.only('/api/silences').method).toBe('GET');
  });

  it('ends a silence after asking, then reads the list again', async () => {
    await renderPage([silence()]);
    fireEvent.click(screen.getByTestId('silence-end'));
    fireEvent.click(screen.getByTestId('silence-end-confirm'));
    const end = api.only(`/api/silences/${ID}`);
    expect(end.method).toBe('DELETE');
    end.reply(200, silence({ expiredAt: new Date(NOW).toISOString(), active: false }));
    await settle();
    expect(screen.getByTestId('silences-notice').textContent).toBe('已结束静默：封路施工');
    expect(api.only('/api/silences').method).toBe('GET');
  });

  it('does not offer someone scoped to a district to end a city-wide silence, which the server would not find for them', async () => {
    await renderPage([silence({ areaId: null, areaCode: null, theme: 'crowd' })], false);
    expect(screen.queryByTestId('silence-end')).toBeNull();
    expect(screen.getByTestId('silence-row').textContent).toContain('须由管辖该范围的人员结束');
  });
});
