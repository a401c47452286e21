import type { ObservationRow } from './observation-row';

/** The columns of a COPY line, in order (ObservationRepository names them in its COPY statement). */
export const COPY_COLUMNS = 'feed_key, record_key, ts, metric, value, entity, area_id, area_path, geom, props';
const NULL = '\\N';
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value for COPY's text format: backslash, tab and line ends escaped (NUL never gets here). */
export function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
}

const ewkb = Buffer.alloc(25);
ewkb.writeUInt8(1, 0); // little endian
ewkb.writeUInt32LE(0x20000001, 1); // Point, with an SRID
ewkb.writeUInt32LE(4326, 5);

/** A WGS 84 point as hex EWKB: the server reads it without parsing decimals, and no digit is lost. */
export function pointHex(lon: number, lat: number): string {
  ewkb.writeDoubleLE(lon, 9);
  ewkb.writeDoubleLE(lat, 17);
  return ewkb.toString('hex');
}

/** One observation as a line of COPY text, in the order of COPY_COLUMNS. */
export function observationLine(feedKey: string, r: ObservationRow): string {
  return `${observationLineHead(feedKey, r.recordKey, r.ts, r.metric, r.value, r.entity)}\t${observationLineTail(r.areaId, r.areaPath, r.lon, r.lat, r.props)}`;
}

/** The columns of a line that change with every reading: feed, key, time, metric, value, entity. */
export function observationLineHead(
  feedKey: string,
  recordKey: string,
  ts: string,
  metric: string,
  value: number,
  entity: string | null,
): string {
  return [feedKey, copyText(recordKey), ts, copyText(metric), String(value), entity === null ? NULL : copyText(entity)].join('\t');
}

/**
 * The columns a site's readings share: area, path, point and props. A bulk writer makes it once
 * per site instead of once per row (the point's hex and the props' JSON are most of a line's cost).
 */
export function observationLineTail(
  areaId: number | null,
  areaPath: readonly number[],
  lon: number | null,
  lat: number | null,
  props: Record<string, unknown> | null,
): string {
  return [
    areaId === null ? NULL : String(areaId),
    `{${areaPath.join(',')}}`,
    lon === null || lat === null ? NULL : pointHex(lon, lat),
    props === null ? NULL : copyText(JSON.stringify(props)),
  ].join('\t');
}
