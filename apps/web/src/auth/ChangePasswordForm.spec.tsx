import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { loginResponse, sessionUser } from '../admin/testing/session-user';
import { App } from '../App';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { settle } from '../testing/timers';
import { login, signOut, useSession } from './session';

const PASSWORD = '/api/auth/password';

function fill(name: string, value: string) {
  fireEvent.change(document.querySelector(`input[name="${name}"]`)!, { target: { value } });
}

function fieldMessages(name: string): string {
  return document.querySelector(`input[name="${name}"]`)!.closest('label')!.querySelector('[data-testid="field-error"]')?.textContent ?? '';
}

async function signIn(api: FakeApi, mustChangePassword: boolean) {
  const signingIn = login('liwan.analyst', 'temporary-1234');
  api.only('/api/auth/login').reply(200, loginResponse(sessionUser({ mustChangePassword })));
  await act(() => signingIn);
}

describe('the forced password change', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    window.history.replaceState(null, '', '/');
    api = new FakeApi().install();
  });
  afterEach(() => {
    act(() => signOut());
    api.uninstall();
    jest.useRealTimers();
  });

  it('stands in front of every page until the person sets a new password, with the server’s reasons under the field', async () => {
    await signIn(api, true);
    render(<App />);
    expect(screen.getByTestId('change-password-form')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /指挥大屏/ })).toBeNull();

    // What the page can tell by itself: no request.
    fill('currentPassword', 'temporary-1234');
    fill('newPassword', 'short');
    fill('repeatPassword', 'other');
    fireEvent.click(screen.getByTestId('change-password-submit'));
    expect(fieldMessages('newPassword')).toContain('至少需要 10 个字符');
    expect(fieldMessages('repeatPassword')).toContain('两次输入的新密码不一致');
    expect(api.count(PASSWORD)).toBe(0);
    expect(document.activeElement?.getAttribute('name')).toBe('newPassword');

    fill('newPassword', 'password1234');
    fill('repeatPassword', 'password1234');
    fireEvent.click(screen.getByTestId('change-password-submit'));
    const refused = api.only(PASSWORD);
    expect(refused.body).toEqual({ currentPassword: 'temporary-1234', newPassword: 'password1234' });
    expect(refused.headers.get('authorization')).toBe('Bearer access-token');
    refused.reply(400, {
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      detail: 'The new password is one of the most commonly used passwords; choose another.',
      errors: [{ path: 'newPassword', message: 'is one of the most commonly used passwords; choose another' }],
    });
    await settle();
    expect(fieldMessages('newPassword')).toContain('这是最常用的密码之一，请换一个');
    expect(fieldMessages('repeatPassword')).toBe('');
    expect(screen.getByTestId('form-problem').textContent).toContain('提交的内容有误');

    fill('newPassword', 'Liwan-river-2026');
    fill('repeatPassword', 'Liwan-river-2026');
    fireEvent.click(screen.getByTestId('change-password-submit'));
    api.only(PASSWORD).reply(200, sessionUser({ mustChangePassword: false }));
    await settle();
    // The page the person opened carries on, and the session remembers the change across a reload.
    expect(screen.queryByTestId('change-password-form')).toBeNull();
    expect(screen.getByRole('link', { name: /指挥大屏/ })).toBeTruthy();
    expect(JSON.parse(sessionStorage.getItem('cityops.session')!)).toMatchObject({ user: { mustChangePassword: false } });
  });

  it('says a wrong current password next to it', async () => {
    await signIn(api, true);
    render(<App />);
    fill('currentPassword', 'not-it-at-all');
    fill('newPassword', 'Liwan-river-2026');
    fill('repeatPassword', 'Liwan-river-2026');
    fireEvent.click(screen.getByTestId('change-password-submit'));
    api.only(PASSWORD).reply(400, {
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: 'currentPassword', message: 'is not the current password' }],
    });
    await settle();
    expect(fieldMessages('currentPassword')).toContain('当前密码不正确');
    expect(screen.getByTestId('change-password-form')).toBeTruthy();
  });

  it('lets the person sign out instead, ending the session on the server', async () => {
    await signIn(api, true);
    let status = '';
    function Status() {
      status = useSession().status;
      return null;
    }
    render(
      <>
        <App />
        <Status />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    await settle();
    expect(api.only('/api/auth/logout').headers.get('authorization')).toBe('Bearer access-token');
    expect(status).toBe('signed-out');
    expect(screen.queryByTestId('change-password-form')).toBeNull();
  });

  it('is not shown to someone who chose their own password', async () => {
    await signIn(api, false);
    render(<App />);
    expect(screen.queryByTestId('change-password-form')).toBeNull();
  });
});
