import type { CreateSilenceRequest, SilenceView } from '@cityops/contracts';
import { cityTimeToIso } from '../admin/audit/audit-query';
import type { MessageKey } from '../i18n';

/** How long a new silence lasts: presets from its start, or an end typed in. */
export const DURATIONS = ['30m', '1h', '4h', 'custom'] as const;
export type DurationChoice = (typeof DURATIONS)[number];

export const DURATION_MS: Record<Exclude<DurationChoice, 'custom'>, number> = {
  '30m': 30 * 60_000,
  '1h': 60 * 60_000,
  '4h': 4 * 60 * 60_000,
};

/** The length of a silence started from the wall. */
export const WALL_SILENCE_MS = DURATION_MS['1h'];

/**
 * The form as typed. Times are `datetime-local` text read as Guangzhou time (as every time on the
 * page is shown), whatever the zone of the machine; an empty start is "now".
 */
export interface SilenceFormValues {
  indicatorKey: string;
  areaCode: string | null;
  theme: string;
  start: string;
  duration: DurationChoice;
  end: string;
  reason: string;
}

export const EMPTY_SILENCE_FORM: SilenceFormValues = {
  indicatorKey: '',
  areaCode: null,
  theme: '',
  start: '',
  duration: '1h',
  end: '',
  reason: '',
};

/** The fields as the server names them in a refusal (`errors[].path`), so that its messages land under the right control. */
export const SILENCE_FIELDS = ['indicatorKey', 'areaId', 'theme', 'startsAt', 'endsAt', 'reason'] as const;
export type SilenceField = (typeof SILENCE_FIELDS)[number];

export interface SilenceContext {
  /** Server-corrected now (epoch ms). */
  now: number;
  /** The id of an area the directory knows, by code. */
  areaIdOf: (code: string) => number | undefined;
  /** The signed-in person's scope is the whole city; otherwise a silence must name an area. */
  cityWide: boolean;
}

export type SilenceCheck =
  { ok: true; request: CreateSilenceRequest } | { ok: false; problems: Partial<Record<SilenceField, MessageKey[]>> };

/** `YYYY-MM-DDTHH:mm` in Guangzhou time: what a `datetime-local` input holds. */
export function cityTimeInput(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

/**
 * The request the form makes, or what is wrong with it before asking (the server checks all of
 * it again: an unknown area or indicator, a scope it lies outside of).
 */
export function silenceRequest(values: SilenceFormValues, context: SilenceContext): SilenceCheck {
  const problems: Partial<Record<SilenceField, MessageKey[]>> = {};
  const add = (field: SilenceField, key: MessageKey) => (problems[field] ??= []).push(key);

  const indicatorKey = values.indicatorKey.trim();
  const theme = values.theme.trim();
  let areaId: number | undefined;
  if (values.areaCode !== null) {
    areaId = context.areaIdOf(values.areaCode);
    if (areaId === undefined) add('areaId', 'silenceUnknownArea');
  }
  if (!indicatorKey && values.areaCode === null && !theme) add('indicatorKey', 'silenceNeedsTarget');
  if (values.areaCode === null && !context.cityWide) add('areaId', 'silenceAreaForScope');

  const startIso = values.start.trim() ? cityTimeToIso(values.start) : null;
  if (values.start.trim() && !startIso) add('startsAt', 'silenceBadTime');
  const startMs = startIso ? Date.parse(startIso) : context.now;

  let endMs: number | null = null;
  if (values.duration === 'custom') {
    const endIso = values.end.trim() ? cityTimeToIso(values.end) : null;
    if (!values.end.trim()) add('endsAt', 'srvRequired');
    else if (!endIso) add('endsAt', 'silenceBadTime');
    else endMs = Date.parse(endIso);
  } else {
    endMs = startMs + DURATION_MS[values.duration];
  }
  if (endMs !== null && endMs <= startMs) add('endsAt', 'silenceEndBeforeStart');
  else if (endMs !== null && endMs <= context.now) add('endsAt', 'silenceEndPassed');

  const reason = values.reason.trim();
  if (!reason) add('reason', 'srvRequired');

  if (Object.keys(problems).length > 0 || endMs === null) return { ok: false, problems };
  return {
    ok: true,
    request: {
      ...(indicatorKey ? { indicatorKey } : {}),
      ...(areaId !== undefined ? { areaId } : {}),
      ...(theme ? { theme } : {}),
      // Without a start the server starts it on arrival: a slow request does not shorten it.
      ...(startIso ? { startsAt: new Date(startMs).toISOString() } : {}),
      endsAt: new Date(endMs).toISOString(),
      reason,
    },
  };
}

/** The end the form shows for its choice (a preset counts from the start, or from now). */
export function plannedEnd(values: SilenceFormValues, now: number): number | null {
  const startIso = values.start.trim() ? cityTimeToIso(values.start) : null;
  const start = startIso ? Date.parse(startIso) : now;
  if (values.duration !== 'custom') return start + DURATION_MS[values.duration];
  const endIso = values.end.trim() ? cityTimeToIso(values.end) : null;
  return endIso ? Date.parse(endIso) : null;
}

export type SilencePhase = 'active' | 'upcoming' | 'ended';

/**
 * In effect now, not begun yet, or over (ended early or ran out). One the server read as in effect
 * has begun, whatever this machine's clock says: one made a moment ago starts at the server's now.
 */
export function phaseOf(silence: SilenceView, now: number): SilencePhase {
  if (silence.expiredAt !== null || Date.parse(silence.endsAt) <= now) return 'ended';
  if (!silence.active && Date.parse(silence.startsAt) > now) return 'upcoming';
  return 'active';
}

export interface SilenceGroups {
  active: SilenceView[];
  upcoming: SilenceView[];
  ended: SilenceView[];
}

/**
 * The silences by phase: those in effect ending soonest first (what stops covering next), those to
 * come starting soonest first, the ended ones most recently ended first.
 */
export function groupSilences(silences: readonly SilenceView[], now: number): SilenceGroups {
  const groups: SilenceGroups = { active: [], upcoming: [], ended: [] };
  for (const silence of silences) groups[phaseOf(silence, now)].push(silence);
  const at = (iso: string) => Date.parse(iso);
  // Ended by hand before its end, or ran out at it.
  const endedAt = (s: SilenceView) => at(s.expiredAt ?? s.endsAt);
  groups.active.sort((a, b) => at(a.endsAt) - at(b.endsAt));
  groups.upcoming.sort((a, b) => at(a.startsAt) - at(b.startsAt));
  groups.ended.sort((a, b) => endedAt(b) - endedAt(a));
  return groups;
}

/**
 * Whether the person may end the silence: a caller scoped to part of the city ends only silences
 * on an area of its scope (the server answers 404 otherwise). It sees those covering its scope
 * from above too (the whole city, an area its scope lies in), but can read only the areas of its
 * scope: an area it can read is one it may end a silence on.
 */
export function mayEnd(silence: SilenceView, now: number, cityWide: boolean, areaReadable: boolean): boolean {
  if (phaseOf(silence, now) === 'ended') return false;
  return cityWide || (silence.areaId !== null && areaReadable);
}

/**
 * The themes to offer: those with a label, then any other an indicator uses (shown by its key),
 * then the one already chosen, so that an unusual choice is never lost.
 */
export function themeChoices(labelled: readonly string[], indicatorThemes: readonly string[], chosen: string): string[] {
  const list = [...labelled];
  for (const theme of [...indicatorThemes, chosen]) if (theme && !list.includes(theme)) list.push(theme);
  return list;
}
