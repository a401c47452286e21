import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { DepartmentView, UserView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { AreaDirectoryProvider } from '../scope/AreaDirectory';
import { answerAreaRequests } from '../testing/demo-areas';
import { UserForm } from './UserForm';

const DEPARTMENTS: DepartmentView[] = [
  { code: 'public-security', name: '公安', nameEn: 'Public Security', feeds: 1 },
  { code: 'water', name: '水务', nameEn: 'Water Affairs', feeds: 0 },
];

const USER: UserView = {
  id: '0b8f7e2c-0000-4000-8000-000000000001',
  username: 'liwan.analyst',
  displayName: '荔湾区分析员',
  roles: ['analyst'],
  scopes: [{ kind: 'area', id: 12, code: '440103', name: '荔湾区', nameEn: 'Liwan District', level: 'district' }],
  cityWide: false,
  department: null,
  disabled: false,
  mustChangePassword: false,
  createdAt: '2026-11-29T08:00:00Z',
  updatedAt: '2026-11-29T08:00:00Z',
  lastSignInAt: null,
};

const input = (name: string) => document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="user-form"] [name="${name}"]`)!;
const change = (name: string, value: string) => fireEvent.change(input(name), { target: { value } });
/** The messages shown in the form field that holds `element`. */
const messagesNear = (element: Element) => element.closest('.form-field')?.querySelector('[data-testid="field-error"]')?.textContent ?? '';

describe('UserForm', () => {
  let api: FakeApi;
  let saved: { user: UserView; password: string | null }[];

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
    saved = [];
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function renderForm(user: UserView | null) {
    render(
      <AreaDirectoryProvider>
        <UserForm
          user={user}
          departments={DEPARTMENTS}
          onSaved={(u, password) => saved.push({ user: u, password })}
          onCancel={() => undefined}
        />
      </AreaDirectoryProvider>,
    );
    answerAreaRequests(api);
    await settle();
  }

  function fillNewUser() {
    change('username', 'liwan.analyst');
    change('displayName', '荔湾区分析员');
    change('password', 'Liwan-river-2026');
    fireEvent.click(screen.getByRole('checkbox', { name: /数据分析员/ }));
    fireEvent.click(
      screen
        .getAllByTestId('scope-area')
        .find((el) => el.dataset.code === '440103')!
        .querySelector('input')!,
    );
    change('department', 'public-security');
  }

  it('creates a user as the API reads it and hands back the first password', async () => {
    await renderForm(null);
    fillNewUser();
    fireEvent.click(screen.getByTestId('user-form-submit'));
    const request = api.only('/api/users');
    expect(request.method).toBe('POST');
    expect(request.body).toEqual({
      username: 'liwan.analyst',
      displayName: '荔湾区分析员',
      password: 'Liwan-river-2026',
      roles: ['analyst'],
      scopes: [{ area: '440103' }],
      department: 'public-security',
    });
    request.reply(201, { ...USER, department: 'public-security', mustChangePassword: true });
    await settle();
    expect(saved).toEqual([{ user: expect.objectContaining({ username: 'liwan.analyst' }), password: 'Liwan-river-2026' }]);
  });

  it('shows each refusal of the server under the field it names, in Chinese', async () => {
    await renderForm(null);
    fillNewUser();
    fireEvent.click(screen.getByTestId('user-form-submit'));
    api.only('/api/users').reply(400, {
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      detail: 'The scope names areas or zone sets that do not exist.',
      errors: [
        { path: 'scopes.0.area', message: 'there is no area with code "440103"' },
        { path: 'password', message: 'must not contain the user name or display name' },
        { path: 'department', message: 'there is no such department (GET /api/departments lists them)' },
      ],
    });
    await settle();
    expect(messagesNear(screen.getByTestId('scope-picker'))).toBe('没有代码为“440103”的区域');
    expect(messagesNear(input('password'))).toBe('不能包含用户名或显示名');
    expect(messagesNear(input('department'))).toBe('没有这个部门');
    expect(messagesNear(input('username'))).toBe('');
    expect(input('password').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('form-problem').textContent).toContain('请按标出的提示修改后再提交。');

    // A taken user name comes without `errors`: it still lands on the user name.
    fireEvent.click(screen.getByTestId('user-form-submit'));
    api.only('/api/users').reply(409, {
      type: 'urn:cityops:problem:username_taken',
      title: 'Conflict',
      status: 409,
      detail: 'The user name "liwan.analyst" is taken.',
    });
    await settle();
    expect(messagesNear(input('username'))).toBe('这个用户名已被占用');
    expect(messagesNear(input('password'))).toBe('');
    expect(saved).toEqual([]);
  });

  it('checks what it can before sending', async () => {
    await renderForm(null);
    fireEvent.click(screen.getByTestId('user-form-submit'));
    expect(api.count('/api/users')).toBe(0);
    expect(messagesNear(input('username'))).toBe('必填');
    expect(messagesNear(screen.getByTestId('role-choices'))).toBe('请至少选择一项');
    expect(messagesNear(screen.getByTestId('scope-picker'))).toBe('请至少选择一项');
    expect(document.activeElement).toBe(input('username'));
  });

  it('edits only what changed', async () => {
    await renderForm(USER);
    expect(screen.queryByRole('textbox', { name: '临时密码' })).toBeNull();
    fireEvent.click(screen.getByTestId('user-form-submit'));
    expect(screen.getByRole('status').textContent).toBe('没有修改任何内容。');
    expect(api.count(`/api/users/${USER.id}`)).toBe(0);

    fireEvent.click(screen.getByRole('checkbox', { name: /值班员/ }));
    fireEvent.click(within(screen.getByTestId('scope-picker')).getAllByTestId('scope-zone-set')[0].querySelector('input')!);
    fireEvent.click(screen.getByTestId('user-form-submit'));
    const request = api.only(`/api/users/${USER.id}`);
    expect([request.method, request.body]).toEqual([
      'PATCH',
      { roles: ['operator', 'analyst'], scopes: [{ area: '440103' }, { zoneSet: 'lantern-festival' }] },
    ]);
    request.reply(200, { ...USER, roles: ['operator', 'analyst'] });
    await settle();
    expect(saved).toEqual([{ user: expect.objectContaining({ roles: ['operator', 'analyst'] }), password: null }]);
  });
});
