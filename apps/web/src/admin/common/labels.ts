import type { DepartmentView, Role } from '@cityops/contracts';
import type { Lang, MessageKey, Translate } from '../../i18n';

const ROLE_LABELS: Record<Role, MessageKey> = {
  admin: 'roleAdmin',
  commander: 'roleCommander',
  operator: 'roleOperator',
  analyst: 'roleAnalyst',
  handler: 'roleHandler',
  grid_worker: 'roleGridWorker',
  viewer: 'roleViewer',
};

const ROLE_HINTS: Record<Role, MessageKey> = {
  admin: 'roleAdminHint',
  commander: 'roleCommanderHint',
  operator: 'roleOperatorHint',
  analyst: 'roleAnalystHint',
  handler: 'roleHandlerHint',
  grid_worker: 'roleGridWorkerHint',
  viewer: 'roleViewerHint',
};

export function roleLabel(t: Translate, role: string): string {
  const key = ROLE_LABELS[role as Role] as MessageKey | undefined;
  return key ? t(key) : role;
}

export function roleHint(t: Translate, role: Role): string {
  return t(ROLE_HINTS[role]);
}

/** A department by its code, named in the page's language; the code itself when it is not listed. */
export function departmentLabel(code: string | null, departments: readonly DepartmentView[] | null, lang: Lang): string | null {
  if (!code) return null;
  const department = departments?.find((d) => d.code === code);
  if (!department) return code;
  return lang === 'en' && department.nameEn ? department.nameEn : department.name;
}
