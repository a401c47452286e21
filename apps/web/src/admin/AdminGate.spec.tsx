import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { SessionUser } from '@cityops/contracts';
import { login, signOut } from '../auth/session';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { settle } from '../testing/timers';
import { AdminGate } from './AdminGate';
import { loginResponse, sessionUser } from './testing/session-user';

async function signInAs(api: FakeApi, user: SessionUser) {
  const signingIn = login(user.username, 'a-password-1234');
  api.only('/api/auth/login').reply(200, loginResponse(user));
  await act(() => signingIn);
}

describe('AdminGate', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    window.history.replaceState(null, '', '/admin');
    api = new FakeApi().install();
  });
  afterEach(() => {
    act(() => signOut());
    api.uninstall();
    jest.useRealTimers();
  });

  it('tells someone without the admin role politely that it is for administrators, and asks the server nothing', async () => {
    await signInAs(api, sessionUser({ roles: ['commander', 'analyst'] }));
    render(<AdminGate />);
    const page = screen.getByTestId('admin-forbidden');
    expect(page.textContent).toContain('系统管理仅供管理员使用');
    expect(page.textContent).toContain('荔湾区分析员');
    expect(screen.queryAllByTestId('admin-nav')).toHaveLength(0);
    expect(api.count('/api/users')).toBe(0);
  });

  it('shows a display device no admin links, only the way back to the wall', async () => {
    await signInAs(api, sessionUser({ kind: 'display', roles: [], username: 'display-1', displayName: '主屏' }));
    render(<AdminGate />);
    expect(screen.getByTestId('admin-forbidden').dataset.kind).toBe('display');
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/wall']);
    expect(screen.queryByRole('button', { name: '换用其他账号登录' })).toBeNull();
  });

  it('opens the users for an admin and moves between sections in the address', async () => {
    await signInAs(api, sessionUser({ roles: ['admin'], username: 'admin', displayName: '系统管理员', cityWide: true }));
    render(<AdminGate />);
    expect(screen.getByTestId('admin-users')).toBeTruthy();
    expect(Object.fromEntries(api.only('/api/users').query)).toEqual({ limit: '1000' });

    fireEvent.click(screen.getAllByTestId('admin-nav').find((a) => a.dataset.section === 'displays')!);
    expect(window.location.pathname).toBe('/admin/displays');
    expect(screen.getByTestId('admin-displays')).toBeTruthy();
    expect(document.title).toContain('大屏设备');

    act(() => {
      window.history.back();
    });
    await act(() => jest.advanceTimersByTimeAsync(50));
    await settle();
    expect(window.location.pathname).toBe('/admin');
    expect(screen.getByTestId('admin-users')).toBeTruthy();
  });
});
