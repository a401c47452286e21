import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const account = { username: 'wang.fang', displayName: '王芳 Wang Fang' };

  it.each([
    ['short1!', 'at least 10 characters'],
    ['1234567890', 'most commonly used'],
    ['Password123', 'most commonly used'],
    ['qwertyuiop', 'most commonly used'],
    ['aaaaaaaaaaaa', 'repeats one character'],
    ['wang.fang-2026', 'user name'],
    ['my-cityops-demo', 'name of this product'],
  ])('refuses %j: %s', (password, reason) => {
    expect(passwordProblem(password, account)).toContain(reason);
  });

  it.each(['correct horse battery', '天河区指挥中心2026夜班', 'Lx9-qk2-Tz7-mw'])('accepts %j', (password) => {
    expect(passwordProblem(password, account)).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('指挥中心夜班值守人员甲', account)).toBeNull();
    expect(passwordProblem('指挥中心夜班值守', account)).toContain('at least 10');
  });
});
