import type { AlertView, CaseCategoryView, CasePriority, FileCaseRequest, SessionUser } from '@cityops/contracts';

/**
 * Who files a case from an alert on the wall: the command centre's people who act on alerts there
 * (commanders and operators, who also file cases; the server checks the alert lies in their areas).
 */
export function canFileFromAlert(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.some((role) => role === 'commander' || role === 'operator');
}

/**
 * Category groups an indicator's theme points to: the first enabled category of the group is
 * offered first. A theme not listed offers none: the operator chooses (a wrong guess is worse).
 */
const THEME_GROUPS: Readonly<Record<string, string>> = {
  traffic: 'traffic',
  water: 'water-affairs',
  crowd: 'public-order',
  'public-safety': 'public-order',
  construction: 'urban-management',
};

export function suggestedCategory(theme: string | null, categories: readonly CaseCategoryView[]): string {
  const group = theme === null ? undefined : THEME_GROUPS[theme];
  if (!group) return '';
  return categories.find((c) => c.enabled && c.group === group)?.key ?? '';
}

/** A critical alert's case is urgent work; the others are high priority (filed by the command centre on purpose). */
export function priorityOf(alert: Pick<AlertView, 'level'>): CasePriority {
  return alert.level === 'critical' ? 'urgent' : 'high';
}

/** Made once per form: a double click or a retry files one case. */
export function alertCaseRequestId(alertId: string, random: () => string = () => crypto.randomUUID()): string {
  return `alert-${alertId.slice(0, 8)}-${random()}`;
}

/**
 * The case as the form sends it, or the field that is missing: the alert's place (its area's
 * centre) is the location; without one, no case can be filed from here.
 */
export function alertCaseRequest(
  alert: Pick<AlertView, 'id' | 'center' | 'level'>,
  input: { category: string; description: string; clientRequestId: string },
): FileCaseRequest | 'category' | 'description' | 'location' {
  if (!alert.center) return 'location';
  if (!input.category) return 'category';
  const description = input.description.trim();
  if (!description) return 'description';
  return {
    category: input.category,
    description: description.slice(0, 4000),
    location: alert.center,
    priority: priorityOf(alert),
    alertId: alert.id,
    clientRequestId: input.clientRequestId,
  };
}
