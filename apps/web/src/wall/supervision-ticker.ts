import type { CaseChangedEvent } from '@cityops/contracts';

/** How many 督办 notices the ticker holds: the newest, the rest dropped (the wall runs for days). */
export const TICKER_MAX_NOTICES = 6;
/** A notice stays this long after it was heard, then leaves the ticker. */
export const TICKER_FADE_AFTER_MS = 15 * 60_000;
/** Over its last minute a notice is drawn fading. */
export const TICKER_FADE_OUT_MS = 60_000;

/** A supervision (督办) notice as the wall's ticker shows it. */
export interface SupervisionNotice {
  /** `<code>:<level>`: a case raised to a higher level is a new notice; the same level heard again is not. */
  key: string;
  code: string;
  /** 1 community, 2 street, 3 district, 4 command centre. */
  level: number;
  stage: 'accept' | 'resolve';
  /** The supervising area, e.g. 天河区; null when the server names none. */
  areaName: string | null;
  categoryName: string;
  categoryNameEn: string | null;
  districtCode: string | null;
  districtName: string | null;
  /** When the case was supervised (the server's time). */
  at: string;
  /** When the wall heard it (its own clock: what fading counts from). */
  heardAt: number;
}

/** The notice a `case.changed` event carries: only a supervision (`supervised` with the case's supervision), else null. */
export function noticeOf(event: CaseChangedEvent, heardAt: number): SupervisionNotice | null {
  const s = event.case.supervision;
  if (event.action !== 'supervised' || !s) return null;
  return {
    key: `${event.case.code}:${s.level}`,
    code: event.case.code,
    level: s.level,
    stage: s.stage,
    areaName: s.areaName,
    categoryName: event.case.categoryName,
    categoryNameEn: event.case.categoryNameEn,
    districtCode: event.case.districtCode,
    districtName: event.case.districtName,
    at: s.at,
    heardAt,
  };
}

/**
 * The ticker with a notice added: newest first, at most `max`, one per case and level (a repeat
 * answers the same list, so nothing redraws).
 */
export function addNotice(
  notices: readonly SupervisionNotice[],
  notice: SupervisionNotice,
  max = TICKER_MAX_NOTICES,
): readonly SupervisionNotice[] {
  if (notices.some((n) => n.key === notice.key)) return notices;
  return [notice, ...notices].slice(0, max);
}

/** The notices still shown at `now` (the list itself when none has left). */
export function liveNotices(
  notices: readonly SupervisionNotice[],
  now: number,
  fadeAfterMs = TICKER_FADE_AFTER_MS,
): readonly SupervisionNotice[] {
  const kept = notices.filter((n) => now - n.heardAt < fadeAfterMs);
  return kept.length === notices.length ? notices : kept;
}

/** Whether a notice is in its last minute (drawn fading). */
export const isFading = (notice: SupervisionNotice, now: number, fadeAfterMs = TICKER_FADE_AFTER_MS): boolean =>
  now - notice.heardAt >= fadeAfterMs - TICKER_FADE_OUT_MS;
