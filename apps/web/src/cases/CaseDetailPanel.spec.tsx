import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { CaseDetail, DepartmentView } from '@cityops/contracts';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { settle } from '../testing/timers';
import { CaseDetailPanel } from './CaseDetailPanel';

const NOW = Date.parse('2026-11-30T10:00:00+08:00');
const CODE = 'GZ-TH-20261130-0007';
const PATH = `/api/cases/${CODE}`;

const DEPARTMENTS: DepartmentView[] = [
  { code: 'forestry-gardens', name: '林业和园林', nameEn: 'Forestry and Gardens', feeds: 0 },
  { code: 'water', name: '水务', nameEn: 'Water Affairs', feeds: 2 },
];

function detail(patch: Partial<CaseDetail> = {}): CaseDetail {
  return {
    code: CODE,
    category: 'fallen-tree',
    categoryName: '树木倒伏',
    categoryNameEn: 'Fallen tree',
    categoryGroup: 'greening',
    description: '体育西路树木倒伏',
    address: '体育西路 101 号',
    location: [113.3504, 23.2089],
    gridCode: '440106001001001',
    gridName: '第1网格',
    districtCode: '440106',
    districtName: '天河区',
    priority: 'high',
    source: 'grid_worker',
    state: 'reported',
    department: null,
    departmentName: null,
    departmentNameEn: null,
    reportedAt: new Date(NOW - 600_000).toISOString(),
    createdAt: new Date(NOW - 600_000).toISOString(),
    updatedAt: new Date(NOW - 600_000).toISOString(),
    acceptDueAt: null,
    resolveDueAt: null,
    overdue: null,
    supervision: null,
    reporter: 'grid-li',
    assignee: null,
    mergedInto: null,
    mergedFrom: [],
    splitFrom: null,
    splitInto: [],
    detections: [],
    possibleDuplicates: [],
    rating: null,
    alertId: null,
    alert: null,
    routedBy: null,
    areaPath: [
      { code: '440100', name: '广州市', level: 'city' },
      { code: '440106', name: '天河区', level: 'district' },
    ],
    timeline: [
      {
        id: '1',
        at: new Date(NOW - 600_000).toISOString(),
        actor: 'grid-li',
        action: 'filed',
        fromState: null,
        toState: 'reported',
        comment: null,
        internal: false,
        detail: {},
      },
      {
        id: '2',
        at: new Date(NOW - 300_000).toISOString(),
        actor: 'case-desk',
        action: 'note',
        fromState: null,
        toState: null,
        comment: '已电话联系',
        internal: true,
        detail: {},
      },
    ],
    photos: [],
    availableActions: ['dispatch', 'invalidate', 'cancel'],
    maySplit: true,
    ...patch,
  };
}

describe('CaseDetailPanel', () => {
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

  async function renderPanel(first: CaseDetail, onChanged = jest.fn()) {
    render(
      <CaseDetailPanel
        code={CODE}
        now={NOW}
        departments={DEPARTMENTS}
        categories={[]}
        mayNote
        onClose={jest.fn()}
        onOpen={jest.fn()}
        onChanged={onChanged}
      />,
    );
    api.only(PATH).reply(200, first);
    await settle();
    return screen.getByTestId('case-detail');
  }

  it('shows the case’s fields, its area path, and its timeline with the internal note marked 内部', async () => {
    const panel = await renderPanel(detail());
    expect(panel.dataset.state).toBe('reported');
    expect(within(panel).getByTestId('case-area-path').textContent).toContain('广州市 › 天河区');
    expect(within(panel).getByTestId('case-routed-by').textContent).toContain('人工派遣或尚未派遣');
    const events = within(panel).getAllByTestId('case-event');
    expect(events.map((e) => e.dataset.action)).toEqual(['filed', 'note']);
    expect(within(events[1]).getByTestId('case-internal').textContent).toBe('内部');
    expect(
      within(panel)
        .getAllByTestId('case-action')
        .map((b) => b.dataset.action),
    ).toEqual(['dispatch', 'invalidate', 'cancel', 'split']);
  });

  it('asks for the department before sending a dispatch, then sends it with the state it saw', async () => {
    const onChanged = jest.fn();
    const panel = await renderPanel(detail(), onChanged);
    fireEvent.click(within(panel).getByText('派遣'));
    const form = screen.getByTestId('case-action-form');
    fireEvent.click(within(form).getByTestId('case-action-submit'));
    expect(api.pending(`${PATH}/actions`)).toHaveLength(0);
    expect(within(form).getByTestId('field-error').textContent).toBe('请选择承办部门');

    fireEvent.change(form.querySelector('select[name="department"]') as HTMLSelectElement, { target: { value: 'water' } });
    fireEvent.click(within(form).getByTestId('case-action-submit'));
    const post = api.only(`${PATH}/actions`);
    expect(post.body).toEqual({ action: 'dispatch', expectedState: 'reported', department: 'water' });
    post.reply(
      200,
      detail({
        state: 'dispatched',
        department: 'water',
        departmentName: '水务',
        departmentNameEn: 'Water Affairs',
        availableActions: ['reroute'],
      }),
    );
    await settle();
    expect(panel.dataset.state).toBe('dispatched');
    expect(screen.getByTestId('case-notice').textContent).toBe(`已派遣：${CODE}`);
    expect(within(panel).getByTestId('case-department').textContent).toBe('承办部门水务');
    expect(onChanged).toHaveBeenCalled();
  });

  it('says plainly when someone else moved the case on (409), and reads it again', async () => {
    const panel = await renderPanel(detail());
    fireEvent.click(within(panel).getByText('派遣'));
    const form = screen.getByTestId('case-action-form');
    fireEvent.change(form.querySelector('select[name="department"]') as HTMLSelectElement, { target: { value: 'water' } });
    fireEvent.click(within(form).getByTestId('case-action-submit'));
    api.only(`${PATH}/actions`).reply(409, {
      type: 'urn:cityops:problem:case_moved_on',
      title: 'Conflict',
      status: 409,
      detail: `Case ${CODE} is dispatched now: look at it again before acting.`,
    });
    await settle();
    expect(screen.getByTestId('case-refusal').textContent).toContain('此案件已被他人处理，现为“已派遣”');
    api.only(PATH).reply(200, detail({ state: 'dispatched', department: 'forestry-gardens', availableActions: ['reroute'] }));
    await settle();
    expect(panel.dataset.state).toBe('dispatched');
    expect(screen.queryByTestId('case-action-form')).toBeNull();
    // In English too, from the same problem.
    act(() => setLang('en'));
    expect(screen.getByTestId('case-refusal').textContent).toContain('it is “Dispatched” now');
    act(() => setLang('zh'));
  });

  it('puts the server’s refusal of a field under that field, in the page’s language', async () => {
    const panel = await renderPanel(detail());
    fireEvent.click(within(panel).getByText('作废'));
    const form = screen.getByTestId('case-action-form');
    fireEvent.change(form.querySelector('textarea[name="reason"]') as HTMLTextAreaElement, { target: { value: '重复上报' } });
    fireEvent.click(within(form).getByTestId('case-action-submit'));
    expect(api.only(`${PATH}/actions`).body).toEqual({ action: 'invalidate', expectedState: 'reported', reason: '重复上报' });
    api.only(`${PATH}/actions`).reply(400, {
      type: 'urn:cityops:problem:case_action_refused',
      title: 'Validation failed',
      status: 400,
      detail: 'invalidate: a reason is required.',
      errors: [{ path: 'reason', message: 'a reason is required' }],
    });
    await settle();
    expect(within(form).getByTestId('field-error').textContent).toBe('请填写原因');
    expect(form.querySelector('textarea[name="reason"]')?.getAttribute('aria-invalid')).toBe('true');
  });
});
