import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, render, screen } from '@testing-library/react';
import type { SessionUser } from '@cityops/contracts';
import { loginResponse, sessionUser } from '../admin/testing/session-user';
import { login, signOut } from '../auth/session';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { SilencesGate } from './SilencesGate';

async function signInAs(api: FakeApi, user: SessionUser) {
  const signingIn = login(user.username, 'a-password-1234');
  api.only('/api/auth/login').reply(200, loginResponse(user));
  await act(() => signingIn);
}

describe('SilencesGate', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    window.history.replaceState(null, '', '/silences');
    api = new FakeApi().install();
  });
  afterEach(() => {
    act(() => signOut());
    api.uninstall();
    jest.useRealTimers();
  });

  it('tells an analyst politely that silences are for commanders and operators, and asks the server nothing', async () => {
    await signInAs(api, sessionUser({ roles: ['analyst', 'viewer'] }));
    render(<SilencesGate />);
    expect(screen.getByTestId('silences-forbidden').textContent).toContain('荔湾区分析员');
    expect(api.count('/api/silences')).toBe(0);
  });

  it('sends a display device back to the wall', async () => {
    await signInAs(api, sessionUser({ kind: 'display', roles: [], username: 'display-1', displayName: '主屏' }));
    render(<SilencesGate />);
    expect(screen.getByTestId('silences-forbidden').dataset.kind).toBe('display');
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/wall']);
    expect(api.count('/api/silences')).toBe(0);
  });

  it('opens the silences for an operator', async () => {
    await signInAs(api, sessionUser({ roles: ['operator'], displayName: '值班员' }));
    render(<SilencesGate />);
    expect(screen.getByTestId('silences')).toBeTruthy();
    expect(api.only('/api/silences').method).toBe('GET');
    expect(document.title).toBe('告警静默 · 穗智管 · 城市运行中心');
  });
});
