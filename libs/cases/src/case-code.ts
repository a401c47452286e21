const MINUTE_MS = 60_000;

/** The parts of a case's human-readable code: `GZ-TH-20261129-0042`. */
export interface CaseCodeParts {
  /** The city's short code, e.g. GZ (letters, or digits where an area has no letters set). */
  city: string;
  /** The district's short code, e.g. TH for 天河. */
  district: string;
  /** The reporting day in local time, YYYYMMDD. */
  day: string;
  /** The case's number among the district's cases of that day, from 1. */
  seq: number;
}

const SHORT = /^[A-Z0-9]{1,6}$/;
const CODE = /^([A-Z0-9]{1,6})-([A-Z0-9]{1,6})-(\d{8})-(\d{4,})$/;

/** The local day (YYYYMMDD) of an instant, at a fixed offset from UTC (China: 480 minutes). */
export function caseDay(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `GZ-TH-20261129-0042`: read aloud over a radio, typed from a phone, sorted by day within a district. */
export function formatCaseCode({ city, district, day, seq }: CaseCodeParts): string {
  if (!SHORT.test(city) || !SHORT.test(district))
    throw new RangeError(`short codes are 1–6 capital letters or digits: ${city}, ${district}`);
  if (!/^\d{8}$/.test(day)) throw new RangeError(`not a day (YYYYMMDD): ${day}`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`a case's number counts from 1: ${seq}`);
  return `${city}-${district}-${day}-${String(seq).padStart(4, '0')}`;
}

/** The parts of a case code, or null for text that is not one (a search box tells codes from words). */
export function parseCaseCode(text: string): CaseCodeParts | null {
  const match = CODE.exec(text.trim().toUpperCase());
  if (!match) return null;
  const seq = Number(match[4]);
  return seq >= 1 && Number.isSafeInteger(seq) ? { city: match[1], district: match[2], day: match[3], seq } : null;
}
