import { METHODS as HTTP_METHODS } from 'node:http';
import type { Express } from 'express';
import type { Role } from '@cityops/contracts';
import type { Access } from '../../apps/api/src/http/endpoint.decorator';

/** Who calls: nobody (no token), the metrics token, a person, a registered wall screen, or a feed key. */
export type CallerKind = 'anonymous' | 'metrics' | 'user' | 'display' | 'feed';

export interface Caller {
  /** The matrix's column. */
  name: string;
  kind: CallerKind;
  roles: readonly Role[];
  /** Scoped to one district instead of the whole city. */
  district: boolean;
  /** Signed in with a password an admin set, not yet changed. */
  mustChangePassword: boolean;
  /** The bearer token sent; null for nobody. */
  token: string | null;
  /** Opens another session of the same caller, for a route that ends the one it is called with; null when it has none. */
  newSession: (() => Promise<string>) | null;
}

/** What a route's declared access alone says a caller gets. */
export type Outcome = 'allowed' | 'unauthorized' | 'forbidden' | 'password_change_required';

/**
 * The outcome a route's policy predicts for a caller, derived again here from the policy's words
 * (endpoint.decorator.ts), not by calling the guard's own function: the test checks the guard
 * against the declaration.
 */
export function predictedOutcome(access: Access, caller: Caller): Outcome {
  if (access === 'public') return 'allowed';
  if (access === 'metrics') return caller.kind === 'metrics' ? 'allowed' : 'unauthorized';
  switch (caller.kind) {
    case 'anonymous':
    case 'metrics':
      return 'unauthorized';
    case 'display':
      return access.displays ? 'allowed' : 'forbidden';
    case 'feed':
      return access.feedKeys ? 'allowed' : 'forbidden';
    case 'user':
      if (caller.mustChangePassword && !access.beforePasswordChange) return 'password_change_required';
      if (access.users === 'any') return 'allowed';
      if (access.users === 'none') return 'forbidden';
      return caller.roles.includes('admin') || access.users.some((role) => caller.roles.includes(role)) ? 'allowed' : 'forbidden';
  }
}

/** Whether an answer is what the outcome means: allowed is anything but 401, 403 and 5xx (a 400 or 404 for the probe's input is fine). */
export function answerFits(outcome: Outcome, status: number, problemType: string | null): boolean {
  switch (outcome) {
    case 'allowed':
      return status !== 401 && status !== 403 && status < 500;
    case 'unauthorized':
      return status === 401;
    case 'forbidden':
      return status === 403 && problemType !== PASSWORD_CHANGE_REQUIRED;
    case 'password_change_required':
      return status === 403 && problemType === PASSWORD_CHANGE_REQUIRED;
  }
}

export const PASSWORD_CHANGE_REQUIRED = 'urn:cityops:problem:password_change_required';

/**
 * `method path` of every route Express serves (`get /api/feeds/:key`). Routes for every method at
 * once are left out: Nest mounts one on each path excluded from the global prefix (`/metrics`) to
 * answer the other methods there with a 404 problem.
 */
export function servedRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap(({ route }) => {
    if (!route || HTTP_METHODS.every((m) => route.methods[m.toLowerCase()])) return [];
    return Object.keys(route.methods).map((m) => `${m} ${route.path}`);
  });
}

/** The policy in a few words, for the matrix's rows. */
export function accessText(access: Access | undefined): string {
  if (access === undefined) return '**none declared**';
  if (typeof access === 'string') return access;
  const users =
    access.users === 'any'
      ? 'any user'
      : access.users === 'none'
        ? 'no user'
        : ['admin', ...access.users.filter((r) => r !== 'admin')].join(', ');
  return [
    users,
    access.displays ? 'displays' : null,
    access.feedKeys ? 'feed keys' : null,
    access.scoped ? 'scoped' : null,
    access.beforePasswordChange ? 'before password change' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Runs `work` over `items`, at most `width` at a time. */
export async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/** The web-mercator tile (z/x/y) holding a point. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

/** One request of the matrix: a route, a caller, what its policy predicts and what the API answered. */
export interface MatrixCell {
  route: string;
  caller: string;
  predicted: Outcome;
  status: number;
  /** The problem's `type` when the answer was a problem. */
  problemType: string | null;
  fits: boolean;
  /** The start of the answer, to say why a cell does not fit. */
  detail: string;
}

/** One scope check: whether a district-scoped caller sees the resource of its own district (home) or of another. */
export interface ScopeCell {
  route: string;
  caller: string;
  where: 'home' | 'other';
  sees: boolean;
  expected: boolean;
}

/**
 * The matrix as a reviewer reads it: a row per route with its policy, a column per caller, the
 * status the API answered in each cell (`✗` where the policy predicted otherwise); then what each
 * district-scoped caller saw of its own district and of another.
 */
export function matrixMarkdown(
  routes: { key: string; policy: string }[],
  callers: string[],
  cells: MatrixCell[],
  scope: ScopeCell[],
): string {
  const byCell = new Map(cells.map((c) => [`${c.route}|${c.caller}`, c]));
  const row = (items: string[]) => `| ${items.join(' | ')} |`;
  const cellText = (c: MatrixCell | undefined) =>
    c ? `${c.status}${c.problemType === PASSWORD_CHANGE_REQUIRED ? ' pw' : ''}${c.fits ? '' : ` ✗ (${c.predicted})`}` : '';
  const lines = [
    '# Authorization matrix',
    '',
    'Generated by `test/integration/authorization-matrix.integration-spec.ts` from the running API: every route the',
    'router serves (policy from its `@Endpoint`), called by each kind of caller. A cell is the status answered;',
    '`403 pw` is `password_change_required`; `✗` marks an answer the policy does not predict (with the prediction).',
    'Allowed callers get past the guard: a 400 or 404 there is the probe’s input, not a refusal.',
    '',
    row(['route', 'policy', ...callers]),
    row(['---', '---', ...callers.map(() => '---')]),
    ...[...routes]
      .sort((a, b) => a.key.split(' ')[1].localeCompare(b.key.split(' ')[1]) || a.key.localeCompare(b.key))
      .map((r) => row([`\`${r.key}\``, r.policy, ...callers.map((c) => cellText(byCell.get(`${r.key}|${c}`)))])),
  ];
  if (scope.length) {
    const scopedCallers = [...new Set(scope.map((s) => s.caller))];
    const seen = new Map(scope.map((s) => [`${s.route}|${s.caller}|${s.where}`, s]));
    const mark = (s: ScopeCell | undefined) => (s ? `${s.sees ? 'sees' : 'no'}${s.sees === s.expected ? '' : ' ✗'}` : '');
    lines.push(
      '',
      '## Scope',
      '',
      'Each district-scoped caller a scoped route admits, on a resource in its own district (home) and in another one',
      '(other): `sees` or `no` (left out of a list, 404 on its own). Home must be `sees`, other `no`; `✗` marks the',
      'cells that do not hold.',
      '',
      row(['route', ...scopedCallers.flatMap((c) => [`${c}: home`, `${c}: other`])]),
      row(['---', ...scopedCallers.flatMap(() => ['---', '---'])]),
      ...[...new Set(scope.map((s) => s.route))].map((route) =>
        row([
          `\`${route}\``,
          ...scopedCallers.flatMap((c) => [mark(seen.get(`${route}|${c}|home`)), mark(seen.get(`${route}|${c}|other`))]),
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
