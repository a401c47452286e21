import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { UserView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { AreaDirectoryProvider } from '../scope/AreaDirectory';
import { answerAreaRequests } from '../testing/demo-areas';
import { UsersSection } from './UsersSection';

function user(patch: Partial<UserView>): UserView {
  return {
    id: '0b8f7e2c-0000-4000-8000-000000000001',
    username: 'admin',
    displayName: '系统管理员',
    roles: ['admin'],
    scopes: [{ kind: 'area', id: 1, code: '440100', name: '广州市', nameEn: 'Guangzhou', level: 'city' }],
    cityWide: true,
    department: null,
    disabled: false,
    mustChangePassword: false,
    createdAt: '2026-11-29T08:00:00Z',
    updatedAt: '2026-11-29T08:00:00Z',
    lastSignInAt: '2026-11-29T08:00:00Z',
    ...patch,
  };
}

const ADMIN = user({});
const ANALYST = user({
  id: '0b8f7e2c-0000-4000-8000-000000000002',
  username: 'liwan.analyst',
  displayName: '荔湾区分析员',
  roles: ['analyst', 'operator'],
  scopes: [
    { kind: 'area', id: 12, code: '440103', name: '荔湾区', nameEn: 'Liwan District', level: 'district' },
    { kind: 'zoneSet', key: 'lantern-festival', name: '江边灯光节', nameEn: 'Riverside lantern festival' },
  ],
  cityWide: false,
  department: 'public-security',
  mustChangePassword: true,
  lastSignInAt: null,
});

const row = (username: string) => screen.getAllByTestId('user-row').find((r) => r.dataset.username === username)!;

describe('UsersSection', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function renderSection() {
    render(
      <AreaDirectoryProvider>
        <UsersSection />
      </AreaDirectoryProvider>,
    );
    api.only('/api/users').reply(200, [ADMIN, ANALYST]);
    api.only('/api/departments').reply(200, [{ code: 'public-security', name: '公安', nameEn: 'Public Security', feeds: 1 }]);
    answerAreaRequests(api);
    await settle();
  }

  it('shows each person’s roles, scope by name, department, last sign-in and whether they must change their password', async () => {
    await renderSection();
    const analyst = row('liwan.analyst');
    expect(analyst.textContent).toContain('数据分析员');
    expect(analyst.textContent).toContain('值班员');
    expect(within(analyst).getByTestId('scope-summary').textContent).toBe('荔湾区区江边灯光节分区集');
    expect(analyst.textContent).toContain('公安');
    expect(analyst.textContent).toContain('从未登录');
    expect(analyst.dataset.mustChange).toBe('true');
    expect(analyst.textContent).toContain('须修改密码');
    expect(row('admin').textContent).toContain('正常');
  });

  it('asks the server with the filters: text once typing pauses, role, state and an area found by name', async () => {
    await renderSection();
    fireEvent.change(document.querySelector('[name="q"]')!, { target: { value: 'liw' } });
    fireEvent.change(document.querySelector('[name="q"]')!, { target: { value: 'liwan' } });
    expect(api.pending('/api/users')).toHaveLength(0);
    await act(() => jest.advanceTimersByTimeAsync(300));
    expect(api.only('/api/users').query.get('q')).toBe('liwan');

    fireEvent.change(document.querySelector('[name="role"]')!, { target: { value: 'analyst' } });
    fireEvent.change(document.querySelector('[name="state"]')!, { target: { value: 'disabled' } });
    const filter = within(screen.getByTestId('area-filter'));
    fireEvent.change(filter.getByRole('searchbox'), { target: { value: '越秀' } });
    answerAreaRequests(api);
    await settle();
    fireEvent.click(filter.getByRole('button', { name: /越秀区/ }));
    await act(() => jest.advanceTimersByTimeAsync(300));
    const last = api.pending('/api/users').at(-1)!;
    expect(Object.fromEntries(last.query)).toEqual({ q: 'liwan', role: 'analyst', area: '440104', disabled: 'true', limit: '1000' });
    expect(screen.getByTestId('area-filter').textContent).toContain('越秀区');
  });

  it('disables someone after asking, and says so when the server refuses (an admin disabling themselves)', async () => {
    await renderSection();
    fireEvent.click(within(row('liwan.analyst')).getByTestId('user-disable'));
    fireEvent.click(within(row('liwan.analyst')).getByTestId('user-disable-confirm'));
    const patch = api.only(`/api/users/${ANALYST.id}`);
    expect([patch.method, patch.body]).toEqual(['PATCH', { disabled: true }]);
    patch.reply(200, { ...ANALYST, disabled: true });
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toBe('已停用 荔湾区分析员，其所有会话将在一分钟内结束。');
    api.only('/api/users').reply(200, [ADMIN, { ...ANALYST, disabled: true }]);
    await settle();
    expect(row('liwan.analyst').dataset.disabled).toBe('true');
    expect(within(row('liwan.analyst')).getByTestId('user-enable')).toBeTruthy();

    fireEvent.click(within(row('admin')).getByTestId('user-disable'));
    fireEvent.click(within(row('admin')).getByTestId('user-disable-confirm'));
    api
      .only(`/api/users/${ADMIN.id}`)
      .reply(409, { type: 'urn:cityops:problem:self_lockout', title: 'Conflict', status: 409, detail: 'You cannot…' });
    await settle();
    expect(screen.getByTestId('form-problem').textContent).toContain('不能停用自己的账号或去掉自己的管理员角色');
  });

  it('resets a password and shows the temporary one to hand over', async () => {
    await renderSection();
    fireEvent.click(within(row('liwan.analyst')).getByTestId('user-reset-password'));
    const field = document.querySelector<HTMLInputElement>('[data-testid="reset-password-form"] [name="password"]')!;
    fireEvent.change(field, { target: { value: 'Temporary-2026-x' } });
    fireEvent.click(screen.getByTestId('reset-password-submit'));
    const request = api.only(`/api/users/${ANALYST.id}/password`);
    expect([request.method, request.body]).toEqual(['POST', { password: 'Temporary-2026-x' }]);
    request.reply(200, { ...ANALYST, mustChangePassword: true });
    await settle();
    expect(screen.getByTestId<HTMLInputElement>('revealed-password').value).toBe('Temporary-2026-x');
    expect(screen.getByTestId('secret-reveal').textContent).toContain('已为 荔湾区分析员（liwan.analyst）设置临时密码');
  });
});
