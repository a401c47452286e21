import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { setLang } from '../i18n';
import { FakeApi } from '../testing/fake-api';
import { settle } from '../testing/timers';
import { SignInForm } from './SignInForm';

function fill(name: string, value: string) {
  const input = document.querySelector(`input[name="${name}"]`);
  if (!input) throw new Error(`no input ${name}`);
  fireEvent.change(input, { target: { value } });
}

/** Answers the pending request and lets the form take the answer in. */
async function answer(reply: () => void) {
  reply();
  await settle();
}

describe('the sign-in form', () => {
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

  it('says a refused sign-in in the page’s language, and switches language on the form itself', async () => {
    render(<SignInForm initialError={null} />);
    fill('username', 'someone');
    fill('password', 'not-the-password');
    fireEvent.submit(screen.getByTestId('sign-in-form'));
    await answer(() =>
      api.only('/api/auth/login').reply(401, {
        type: 'urn:cityops:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'Wrong username or password.',
      }),
    );
    const problem = screen.getByTestId('problem');
    expect(problem.textContent).toContain('未登录或登录已失效');
    expect(problem.textContent).toContain('用户名或密码错误。');
    expect(problem.textContent).not.toContain('Wrong username');

    fireEvent.click(screen.getByTestId('lang-switch'));
    expect(screen.getByTestId('problem').textContent).toContain('Wrong username or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('keeps a detail it has no words for as the server wrote it, under the status’s title', async () => {
    render(<SignInForm initialError={null} />);
    fill('username', 'someone');
    fill('password', 'x');
    fireEvent.submit(screen.getByTestId('sign-in-form'));
    await answer(() =>
      api.only('/api/auth/login').reply(429, {
        type: 'urn:cityops:problem:too_many_attempts',
        title: 'Too many requests',
        status: 429,
        detail: 'Too many failed sign-ins from here; try again in 5 minutes.',
      }),
    );
    expect(screen.getByTestId('problem').textContent).toContain('此处登录失败次数过多，请 5 分钟后再试。');
  });
});
