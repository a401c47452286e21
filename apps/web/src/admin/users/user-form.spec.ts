import { describe, expect, it } from '@jest/globals';
import type { UserView } from '@cityops/contracts';
import { translate, type MessageKey, type Params } from '../../i18n';
import { checkUserForm, EMPTY_USER_FORM, generatePassword, newUserRequest, toggleRole, userChange, userFormOf } from './user-form';

const zh = (key: MessageKey, params?: Params) => translate('zh', key, params);

const USER: UserView = {
  id: '0b8f7e2c-0000-4000-8000-000000000001',
  username: 'liwan.analyst',
  displayName: '荔湾区分析员',
  roles: ['analyst'],
  scopes: [{ kind: 'area', id: 12, code: '440103', name: '荔湾区', nameEn: 'Liwan District', level: 'district' }],
  cityWide: false,
  department: null,
  disabled: false,
  mustChangePassword: true,
  createdAt: '2026-11-29T08:00:00Z',
  updatedAt: '2026-11-29T08:00:00Z',
  lastSignInAt: null,
};

describe('the user form', () => {
  it('says what is missing before sending a new user', () => {
    expect(checkUserForm(EMPTY_USER_FORM, 'create', zh)).toEqual({
      username: ['必填'],
      password: ['至少需要 10 个字符'],
      displayName: ['必填'],
      roles: ['请至少选择一项'],
      scopes: ['请至少选择一项'],
    });
    const form = { ...userFormOf(USER), username: 'Upper Case', password: 'short' };
    expect(checkUserForm(form, 'create', zh)).toEqual({
      username: ['2–64 个字符，只能使用小写字母、数字和 _ . -'],
      password: ['至少需要 10 个字符'],
    });
    // Editing has no user name or password to check.
    expect(checkUserForm({ ...form, password: '' }, 'edit', zh)).toEqual({});
  });

  it('writes a new user as the API reads it: roles in the product’s order, scope refs, no department as null', () => {
    let roles = toggleRole([], 'viewer');
    roles = toggleRole(roles, 'admin');
    expect(roles).toEqual(['admin', 'viewer']);
    expect(toggleRole(roles, 'admin')).toEqual(['viewer']);
    const form = { ...userFormOf(USER), username: ' liwan.analyst ', displayName: ' 荔湾区分析员 ', password: 'Tianhe-2026-xyz', roles };
    expect(newUserRequest(form)).toEqual({
      username: 'liwan.analyst',
      displayName: '荔湾区分析员',
      password: 'Tianhe-2026-xyz',
      roles: ['admin', 'viewer'],
      scopes: [{ area: '440103' }],
      department: null,
    });
  });

  it('sends only what an edit changed, and nothing when nothing did', () => {
    const form = userFormOf(USER);
    expect(userChange(USER, form)).toBeNull();
    expect(userChange(USER, { ...form, roles: ['analyst'], displayName: '荔湾区分析员 ' })).toBeNull();
    expect(userChange(USER, { ...form, department: 'public-security', roles: ['operator', 'analyst'] })).toEqual({
      department: 'public-security',
      roles: ['operator', 'analyst'],
    });
    expect(
      userChange(USER, {
        ...form,
        scopes: [...form.scopes, { kind: 'zoneSet', key: 'lantern-festival', name: '江边灯光节', nameEn: null }],
      }),
    ).toEqual({
      scopes: [{ area: '440103' }, { zoneSet: 'lantern-festival' }],
    });
    expect(userChange({ ...USER, department: 'water' }, { ...userFormOf({ ...USER, department: 'water' }), department: '' })).toEqual({
      department: null,
    });
  });

  it('generates temporary passwords long enough, from characters not mistaken for one another, evenly', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
    expect(generatePassword()).not.toBe(password);
    // Bytes past the last whole multiple of the alphabet (56 letters: 224 and up) are drawn again.
    const bytes = [255, 224, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    let next = 0;
    expect(generatePassword(() => [bytes[next++]])).toBe('abcde-fghij-kmnpq-rstuv');
  });
});
