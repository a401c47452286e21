import {
  FINAL_CASE_STATES,
  type CaseChangedEvent,
  type CaseMap,
  type CaseState,
  type CaseSummary,
  type Position,
} from '@cityops/contracts';

/** A case as a map point: what the layer styles by, and what its popup opens with. */
export interface CasePoint {
  code: string;
  location: Position;
  state: CaseState;
  category: string;
  categoryName: string;
  categoryNameEn: string | null;
  overdue: boolean;
  /** 0: not supervised; 1 community … 4 command centre. */
  supervisionLevel: number;
  /** When the case last changed, from a `case.changed` event; null for a point of the snapshot. */
  updatedAt: string | null;
}

/** `[west, south, east, north]`. */
export type Box = [number, number, number, number];

/** The points shown, by case code. */
export type CasePointStore = Map<string, CasePoint>;

export const isOpenState = (state: CaseState): boolean => !FINAL_CASE_STATES.includes(state);

export function pointOfSummary(c: CaseSummary): CasePoint {
  return {
    code: c.code,
    location: c.location,
    state: c.state,
    category: c.category,
    categoryName: c.categoryName,
    categoryNameEn: c.categoryNameEn,
    overdue: c.overdue !== null,
    supervisionLevel: c.supervision?.level ?? 0,
    updatedAt: c.updatedAt,
  };
}

/** A store holding exactly the snapshot's points. */
export function storeOfCaseMap(map: CaseMap): CasePointStore {
  return new Map(
    map.features.map((f): [string, CasePoint] => [
      f.properties.code,
      {
        code: f.properties.code,
        location: f.geometry.coordinates,
        state: f.properties.state,
        category: f.properties.category,
        categoryName: f.properties.categoryName,
        categoryNameEn: f.properties.categoryNameEn,
        overdue: f.properties.overdue,
        supervisionLevel: f.properties.supervisionLevel,
        updatedAt: null,
      },
    ]),
  );
}

const inBox = ([lon, lat]: Position, box: Box | null) => box === null || (lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3]);

/**
 * Applies a `case.changed` event to the store in place; answers whether anything changed. An open
 * case inside the box is put (a new one appears); a case that ended or lies outside is taken out.
 * An event older than the change held is dropped, so a late or repeated event does no harm.
 */
export function applyCaseChange(store: CasePointStore, event: CaseChangedEvent, box: Box | null): boolean {
  const c = event.case;
  const held = store.get(c.code);
  if (held?.updatedAt && Date.parse(held.updatedAt) > Date.parse(c.updatedAt)) return false;
  if (!isOpenState(c.state) || !inBox(c.location, box)) return store.delete(c.code);
  store.set(c.code, pointOfSummary(c));
  return true;
}
