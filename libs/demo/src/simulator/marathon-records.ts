import type { IngestRecord } from '@cityops/contracts';
import type { SegmentHeadcount } from '../marathon-crowd.simulator';

export const SIMULATOR_SOURCE = 'demo-simulator';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** ISO 8601 in China Standard Time, as a Guangzhou counting system would stamp its readings. */
export function toChinaTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/**
 * One headcount record per zone. The id is zone + instant, so a resent batch (after a timeout
 * whose request did land) is recognised as duplicates instead of being counted twice.
 */
export function headcountRecords(counts: readonly SegmentHeadcount[], at: Date): IngestRecord[] {
  const ts = toChinaTime(at);
  return counts.map(({ code, headcount }) => ({
    id: `${code}-${at.getTime()}`,
    entity: code,
    metric: 'headcount',
    value: headcount,
    ts,
    area: code,
    props: { source: SIMULATOR_SOURCE },
  }));
}
