import type { Role, ScopeView, UpdateUserRequest, UserView } from '@cityops/contracts';
import type { NewUser } from '../../api/admin-api';
import { MIN_PASSWORD_LENGTH, ROLES } from '../../auth/identity-rules';
import type { Translate } from '../../i18n';
import { sameScopes, toScopeRefs } from '../scope/area-tree';

export const USER_FIELDS = ['username', 'displayName', 'password', 'roles', 'scopes', 'department'] as const;
export type UserField = (typeof USER_FIELDS)[number];

/** What the user form holds while an admin fills it in. */
export interface UserFormState {
  username: string;
  displayName: string;
  /** A first (temporary) password; only when creating. */
  password: string;
  roles: Role[];
  scopes: ScopeView[];
  /** A department code, or '' for none. */
  department: string;
}

export const EMPTY_USER_FORM: UserFormState = { username: '', displayName: '', password: '', roles: [], scopes: [], department: '' };

/** The form of an existing user, to edit. */
export function userFormOf(user: UserView): UserFormState {
  return {
    username: user.username,
    displayName: user.displayName,
    password: '',
    roles: [...user.roles],
    scopes: [...user.scopes],
    department: user.department ?? '',
  };
}

/** Roles in the order the product lists them, whatever order they were ticked in. */
export function orderedRoles(roles: Iterable<Role>): Role[] {
  const set = new Set(roles);
  return ROLES.filter((role) => set.has(role));
}

export function toggleRole(roles: readonly Role[], role: Role): Role[] {
  return orderedRoles(roles.includes(role) ? roles.filter((r) => r !== role) : [...roles, role]);
}

/** Same rule as the server's user name schema; checked here to say so before a round trip. */
const USERNAME = /^[a-z0-9][a-z0-9_.-]{1,63}$/;

/**
 * What can be told before sending (empty fields, the user name's form, the password's length), in
 * the page's language. The server checks everything again, and more (common passwords, unknown
 * areas), and its answer is placed on the same fields.
 */
export function checkUserForm(form: UserFormState, mode: 'create' | 'edit', t: Translate): Partial<Record<UserField, string[]>> {
  const problems: Partial<Record<UserField, string[]>> = {};
  if (mode === 'create') {
    if (!form.username.trim()) problems.username = [t('srvRequired')];
    else if (!USERNAME.test(form.username.trim())) problems.username = [t('srvUsernameRule')];
    if ([...form.password].length < MIN_PASSWORD_LENGTH) problems.password = [t('srvMinChars', { n: MIN_PASSWORD_LENGTH })];
  }
  if (!form.displayName.trim()) problems.displayName = [t('srvRequired')];
  if (form.roles.length === 0) problems.roles = [t('srvChooseOne')];
  if (form.scopes.length === 0) problems.scopes = [t('srvChooseOne')];
  return problems;
}

export function newUserRequest(form: UserFormState): NewUser {
  return {
    username: form.username.trim(),
    displayName: form.displayName.trim(),
    password: form.password,
    roles: orderedRoles(form.roles),
    scopes: toScopeRefs(form.scopes),
    department: form.department || null,
  };
}

/** Only what changed, so that an edit does not rewrite (and audit) fields nobody touched; null when nothing did. */
export function userChange(original: UserView, form: UserFormState): UpdateUserRequest | null {
  const change: UpdateUserRequest = {};
  if (form.displayName.trim() !== original.displayName) change.displayName = form.displayName.trim();
  const roles = orderedRoles(form.roles);
  if (roles.join() !== orderedRoles(original.roles).join()) change.roles = roles;
  if (!sameScopes(form.scopes, original.scopes)) change.scopes = toScopeRefs(form.scopes);
  const department = form.department || null;
  if (department !== original.department) change.department = department;
  return Object.keys(change).length ? change : null;
}

const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A temporary password to hand over: four groups of five characters from letters and digits that
 * are not mistaken for one another (no 0/O, 1/l/I), about 115 bits. The person replaces it at
 * their first sign-in.
 */
export function generatePassword(
  randomBytes: (count: number) => ArrayLike<number> = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    while (group.length < 5) {
      const byte = randomBytes(1)[0];
      // Rejection sampling: bytes past the last whole multiple of the alphabet would favour its start.
      if (byte >= 256 - (256 % PASSWORD_ALPHABET.length)) continue;
      group += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
    groups.push(group);
  }
  return groups.join('-');
}
