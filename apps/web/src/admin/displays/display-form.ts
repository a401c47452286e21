import type { DisplayView, ScopeView, UpdateDisplayRequest } from '@cityops/contracts';
import type { NewDisplay } from '../../api/admin-api';
import type { Translate } from '../../i18n';
import { sameScopes, toScopeRefs } from '../scope/area-tree';

export const DISPLAY_FIELDS = ['name', 'description', 'scopes'] as const;
export type DisplayField = (typeof DISPLAY_FIELDS)[number];

export interface DisplayFormState {
  name: string;
  description: string;
  scopes: ScopeView[];
}

export const EMPTY_DISPLAY_FORM: DisplayFormState = { name: '', description: '', scopes: [] };

export function displayFormOf(display: DisplayView): DisplayFormState {
  return { name: display.name, description: display.description ?? '', scopes: [...display.scopes] };
}

export function checkDisplayForm(form: DisplayFormState, t: Translate): Partial<Record<DisplayField, string[]>> {
  const problems: Partial<Record<DisplayField, string[]>> = {};
  if (!form.name.trim()) problems.name = [t('srvRequired')];
  if (form.scopes.length === 0) problems.scopes = [t('srvChooseOne')];
  return problems;
}

export function newDisplayRequest(form: DisplayFormState): NewDisplay {
  return { name: form.name.trim(), description: form.description.trim() || null, scopes: toScopeRefs(form.scopes) };
}

/** Only what changed; null when nothing did. */
export function displayChange(original: DisplayView, form: DisplayFormState): UpdateDisplayRequest | null {
  const change: UpdateDisplayRequest = {};
  if (form.name.trim() !== original.name) change.name = form.name.trim();
  const description = form.description.trim() || null;
  if (description !== original.description) change.description = description;
  if (!sameScopes(form.scopes, original.scopes)) change.scopes = toScopeRefs(form.scopes);
  return Object.keys(change).length ? change : null;
}

/** The link a wall screen opens with: its token exchanged for a session that renews itself. */
export function wallLink(origin: string, token: string): string {
  return `${origin}/wall?kiosk=${encodeURIComponent(token)}`;
}
