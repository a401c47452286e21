import type { AuditOutcome, AuditQuery } from '../../api/admin-api';
import type { Translate } from '../../i18n';

/** The audit page's filters as typed: times as `YYYY-MM-DD HH:mm` (as the page shows them), read as Guangzhou time. */
export interface AuditFilterState {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  outcome: AuditOutcome | '';
  from: string;
  to: string;
}

export const NO_AUDIT_FILTER: AuditFilterState = { actor: '', action: '', targetType: '', targetId: '', outcome: '', from: '', to: '' };

export const AUDIT_FIELDS = ['actor', 'action', 'targetType', 'targetId', 'outcome', 'from', 'to'] as const;
export type AuditField = (typeof AUDIT_FIELDS)[number];

const CITY_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A typed time as an instant. The page shows every time in Guangzhou time (UTC+8, no daylight
 * saving) as `YYYY-MM-DD hh:mm:ss`, whatever the zone of the admin's machine, so what they type (or
 * paste from the table) is read the same way; a date alone is its midnight.
 */
export function cityTimeToIso(local: string): string | null {
  const m = CITY_TIME.exec(local.trim());
  if (!m) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = m;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2026-02-30 over to March: only a date that reads back the same is one.
  if (Number.isNaN(ms) || new Date(ms + 8 * 3600_000).toISOString().slice(0, 19) !== iso.slice(0, 19)) return null;
  return iso;
}

/** The query the server reads (empty filters left out). */
export function auditQueryOf(filter: AuditFilterState): AuditQuery {
  const query: AuditQuery = {};
  const text = (value: string) => value.trim() || undefined;
  query.actor = text(filter.actor);
  query.action = text(filter.action);
  query.targetType = text(filter.targetType);
  query.targetId = text(filter.targetId);
  query.outcome = filter.outcome || undefined;
  query.from = cityTimeToIso(filter.from) ?? undefined;
  query.to = cityTimeToIso(filter.to) ?? undefined;
  for (const key of Object.keys(query) as (keyof AuditQuery)[]) if (query[key] === undefined) delete query[key];
  return query;
}

/** What can be told before asking: an unreadable time, or a range that ends before it starts. */
export function auditFilterProblems(filter: AuditFilterState, t: Translate): Partial<Record<AuditField, string[]>> {
  const problems: Partial<Record<AuditField, string[]>> = {};
  const from = filter.from ? cityTimeToIso(filter.from) : null;
  const to = filter.to ? cityTimeToIso(filter.to) : null;
  if (filter.from && !from) problems.from = [t('auditBadTime')];
  if (filter.to && !to) problems.to = [t('auditBadTime')];
  if (from && to && Date.parse(from) >= Date.parse(to)) problems.to = [t('auditToBeforeFrom')];
  return problems;
}

/** `cityops-audit-20261129-1530.csv` when the server names no file. */
export function auditCsvFileName(now: Date): string {
  const cst = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `cityops-audit-${cst.slice(0, 10).replaceAll('-', '')}-${cst.slice(11, 16).replace(':', '')}.csv`;
}

/**
 * Pages newest first: the `before` cursor of each page seen, so that "newer" goes back one page
 * and "newest" to the start. A new filter starts again at the newest.
 */
export interface AuditPaging {
  cursors: (number | null)[];
}

export const FIRST_PAGE: AuditPaging = { cursors: [null] };

export function currentCursor(paging: AuditPaging): number | null {
  return paging.cursors[paging.cursors.length - 1] ?? null;
}

export function olderPage(paging: AuditPaging, nextBefore: number): AuditPaging {
  return { cursors: [...paging.cursors, nextBefore] };
}

export function newerPage(paging: AuditPaging): AuditPaging {
  return paging.cursors.length > 1 ? { cursors: paging.cursors.slice(0, -1) } : paging;
}
