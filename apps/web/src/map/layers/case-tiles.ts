import type { CaseChangedEvent, Position } from '@cityops/contracts';

/** `[west, south, east, north]`. */
export type Box = [number, number, number, number];

/** How often the overdue marks are held against the clock: a stage falls due at a whole minute at most this late. */
export const OVERDUE_CLOCK_MS = 30_000;

/** A view's tiles are asked for again at most this often however many changes are heard. */
export const CASE_TILES_RENEW_MS = 1000;

const inBox = ([lon, lat]: Position, [west, south, east, north]: Box) => lon >= west && lon <= east && lat >= south && lat <= north;

/**
 * Whether a `case.changed` event can change what the view shows: the case lies in the loaded box
 * (cases do not move, so one outside was never drawn and will not be).
 */
export const concernsView = (event: CaseChangedEvent, box: Box): boolean => inBox(event.case.location, box);
