import { describe, expect, it } from '@jest/globals';
import { ApiError, NETWORK_PROBLEM_TYPE } from '../api/client';
import { translate, type MessageKey, type Params } from '../i18n';
import { formErrors, hasFieldErrors } from './form-errors';
import { serverMessage } from './server-messages';

const zh = (key: MessageKey, params?: Params) => translate('zh', key, params);
const en = (key: MessageKey, params?: Params) => translate('en', key, params);
const FIELDS = ['username', 'password', 'roles', 'scopes', 'department'] as const;

function validationProblem(errors: { path: string; message: string }[]): ApiError {
  return new ApiError({
    type: 'urn:cityops:problem:validation_failed',
    title: 'Validation failed',
    status: 400,
    detail: 'The request is not valid.',
    errors,
  });
}

describe('serverMessage: the server’s English reasons in the page’s language', () => {
  it.each([
    ['at least 10 characters', '至少需要 10 个字符'],
    ['must have at least 10 characters', '至少需要 10 个字符'],
    ['is one of the most commonly used passwords; choose another', '这是最常用的密码之一，请换一个'],
    ['must not contain the user name or display name', '不能包含用户名或显示名'],
    ['is not the current password', '当前密码不正确'],
    ['2–64 characters: lower-case letters, digits, _ . -', '2–64 个字符，只能使用小写字母、数字和 _ . -'],
    ['there is no area with code "4401"', '没有代码为“4401”的区域'],
    ['there is no zone set "gz-x"', '没有标识为“gz-x”的分区集'],
    ['there is no such department (GET /api/departments lists them)', '没有这个部门'],
    ['there is no feed "x" (GET /api/feeds lists them)', '没有这个数据源'],
    ['Too small: expected array to have >=1 items', '请至少选择一项'],
    ['Too small: expected string to have >=1 characters', '必填'],
    ['Invalid input: expected string, received undefined', '必填'],
  ])('"%s" → "%s"', (message, expected) => {
    expect(serverMessage(message, zh)).toBe(expected);
  });

  it('says a known reason in English too, and leaves an unknown one as the server wrote it', () => {
    expect(serverMessage('is one of the most commonly used passwords; choose another', en)).toBe(
      'This is one of the most common passwords; choose another',
    );
    expect(serverMessage('Invalid date: not a working day', zh)).toBe('Invalid date: not a working day');
  });
});

describe('formErrors: a refused submission placed on the form', () => {
  it('puts each error under the field its path starts with, translated, and the rest for the form', () => {
    const errors = formErrors(
      validationProblem([
        { path: 'scopes.0.area', message: 'there is no area with code "x"' },
        { path: 'scopes.1.zoneSet', message: 'there is no zone set "y"' },
        { path: 'password', message: 'at least 10 characters' },
        { path: 'roles.0', message: 'Invalid option' },
        { path: 'nickname', message: 'Unrecognized key' },
        { path: '(root)', message: 'Invalid input' },
      ]),
      FIELDS,
      zh,
    );
    expect(errors.byField).toEqual({
      scopes: ['没有代码为“x”的区域', '没有标识为“y”的分区集'],
      password: ['至少需要 10 个字符'],
      roles: ['Invalid option'],
    });
    expect(errors.general).toEqual(['nickname: Unrecognized key', '内容无效']);
    expect(errors.summary).toBe('提交的内容有误');
    expect(hasFieldErrors(errors)).toBe(true);
  });

  it('places a problem without `errors` on a field when its type says which, or says it for the form', () => {
    const taken = new ApiError({
      type: 'urn:cityops:problem:username_taken',
      title: 'Conflict',
      status: 409,
      detail: 'The user name "a" is taken.',
    });
    const options = {
      byType: { 'urn:cityops:problem:username_taken': { field: 'username' as const, message: '这个用户名已被占用' } },
      generalByType: { 'urn:cityops:problem:self_lockout': '不能停用自己的账号' },
    };
    expect(formErrors(taken, FIELDS, zh, options)).toEqual({
      byField: { username: ['这个用户名已被占用'] },
      general: [],
      summary: '与现有数据冲突',
    });

    const lockout = new ApiError({ type: 'urn:cityops:problem:self_lockout', title: 'Conflict', status: 409, detail: 'You cannot…' });
    expect(formErrors(lockout, FIELDS, zh, options)).toEqual({ byField: {}, general: ['不能停用自己的账号'], summary: '与现有数据冲突' });

    const other = new ApiError({
      type: 'urn:cityops:problem:rate_limited',
      title: 'Too many requests',
      status: 429,
      detail: 'Try again in 12 s.',
    });
    const errors = formErrors(other, FIELDS, zh, options);
    expect(errors).toEqual({ byField: {}, general: ['Try again in 12 s.'], summary: '操作过于频繁，请稍后再试' });
    expect(hasFieldErrors(errors)).toBe(false);
  });

  it('tells a lost connection and an unexpected failure apart from a refusal', () => {
    const network = new ApiError({ type: NETWORK_PROBLEM_TYPE, title: 'Network error', status: 0 });
    expect(formErrors(network, FIELDS, en)).toEqual({
      byField: {},
      general: ['Check the network connection; the screen retries by itself.'],
      summary: 'Cannot reach the server',
    });
    expect(formErrors(new Error('boom'), FIELDS, en)).toEqual({ byField: {}, general: ['boom'], summary: 'Request failed' });
    expect(formErrors(null, FIELDS, en)).toEqual({ byField: {}, general: [], summary: null });
  });
});
