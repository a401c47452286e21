/** A record that passed validation, tagged with its area, ready for the batch write. */
export interface ObservationRow {
  recordKey: string;
  ts: string;
  metric: string;
  value: number;
  entity: string | null;
  areaCode: string | null;
  /** The named area, or the grid under the location; with `areaPath`, self and ancestors. */
  areaId: number | null;
  areaPath: number[];
  lon: number | null;
  lat: number | null;
  props: Record<string, unknown> | null;
}
