/**
 * How a write route is named in the audit trail. Most names follow from the route: the resource
 * (first segment, singular), the fixed segments after it, and a verb from the method where the
 * route ends at a resource: `POST /api/feeds` → `feed.create`, `PUT /api/feeds/:key` → `feed.update`,
 * `POST /api/alerts/:id/ack` → `alert.ack`, `POST /api/areas/import` → `area.import`. A new route
 * gets a name without an edit here; one whose derived name reads wrong gets its own below.
 */

const NAMED: Record<string, string> = {
  'POST /api/feeds/:key/records': 'feed.records.push',
  'PUT /api/feeds/:key/entities': 'feed.entities.push',
  // An admin sets a temporary password, which the person changes at the next sign-in.
  'POST /api/users/:id/password': 'user.password_reset',
};

/**
 * Routes whose answer counts what a push did (`{accepted, duplicates, rejected, …}`,
 * `{imported, updated}`): the event keeps those numbers, never the records themselves.
 */
const COUNTED = new Set([
  'POST /api/feeds/:key/records',
  'PUT /api/feeds/:key/entities',
  'POST /api/feeds/:key/rejected/replay',
  'POST /api/areas/import',
]);

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

export const WRITE_METHODS: ReadonlySet<string> = new Set(Object.keys(VERBS));

/** A segment as a part of a name: lower case, `_` for anything but letters and digits, a letter first. */
function namePart(segment: string): string {
  const part = segment
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // Each part of a dotted verb starts with a letter.
  return /^[a-z]/.test(part) ? part : `n${part}`;
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function segmentsOf(route: string): string[] {
  return route
    .replace(/^\/api(\/|$)/, '')
    .split('/')
    .filter(Boolean);
}

/** The dotted verb of a write route, e.g. `feed.update`. */
export function auditAction(method: string, route: string): string {
  const named = NAMED[`${method} ${route}`];
  if (named) return named;
  const segments = segmentsOf(route);
  const fixed = segments.filter((s) => !s.startsWith(':'));
  const resource = namePart(singular(fixed[0] ?? 'api'));
  const rest = fixed.slice(1).map(namePart);
  const last = segments.at(-1) ?? '';
  const endsAtResource = last.startsWith(':') || fixed.length <= 1;
  const verb = endsAtResource ? (VERBS[method] ?? namePart(method)) : undefined;
  return [resource, ...rest, ...(verb ? [verb] : [])].join('.');
}

/** What a route acts on: the resource, and the value of its first parameter (`:key`, `:id`). */
export function auditTarget(route: string, params: Record<string, string | undefined>): { type: string; id: string | null } {
  const segments = segmentsOf(route);
  const firstParam = segments.find((s) => s.startsWith(':'))?.slice(1);
  return { type: namePart(singular(segments[0] ?? 'api')), id: (firstParam && params[firstParam]) || null };
}

export function isCountedRoute(method: string, route: string): boolean {
  return COUNTED.has(`${method} ${route}`);
}
