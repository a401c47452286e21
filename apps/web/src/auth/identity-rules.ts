import type { Role } from '@cityops/contracts';

/*
 * The web app's copies of two constants of libs/contracts/src/auth.ts. Imported by value from
 * there, they would bring zod into the page's bundle: that module has statements the bundler
 * cannot prove free of effects (`schema.meta(…)` on a schema held in a variable). The unit test
 * beside this file holds the copies equal to the originals.
 */

/** Every role, in the order the product lists them (`ROLES` of the contracts). */
export const ROLES = ['admin', 'commander', 'operator', 'analyst', 'handler', 'grid_worker', 'viewer'] as const satisfies readonly Role[];

/** Passwords shorter than this are refused (`MIN_PASSWORD_LENGTH` of the contracts). */
export const MIN_PASSWORD_LENGTH = 10;
