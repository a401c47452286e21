import { dictionary } from '@zxcvbn-ts/language-common';
import { MIN_PASSWORD_LENGTH } from '@cityops/contracts';

let common: Set<string> | undefined;

/** ~49,000 passwords seen most often in breaches (zxcvbn's list), lower-cased. */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/**
 * Why a new password is refused, or null. Length first (NIST SP 800-63B: length and a block list,
 * no composition rules), then the common-password list, then the obvious guesses for this account.
 */
export function passwordProblem(password: string, account: { username: string; displayName?: string }): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'is one of the most commonly used passwords; choose another';
  if (/^(.)\1*$/u.test(password)) return 'repeats one character; choose another';
  const names = [account.username, account.displayName ?? ''].map((n) => n.toLowerCase()).filter((n) => n.length >= 3);
  if (names.some((name) => lower.includes(name))) return 'must not contain the user name or display name';
  if (lower.includes('cityops')) return 'must not contain the name of this product';
  return null;
}
