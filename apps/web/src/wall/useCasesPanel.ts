import { useEffect, useMemo, useState } from 'react';
import { CASE_PANEL_INDICATORS, type AreaView, type CaseStatisticsRow, type IndicatorValuesEvent } from '@cityops/contracts';
import { fetchCaseStatisticsByDistrict } from '../api/cases-api';
import type { ApiError } from '../api/client';
import type { LiveClient } from '../live/socket';
import { useLiveIndicator } from '../live/useLiveIndicator';
import { addNotice, liveNotices, noticeOf, type SupervisionNotice } from './supervision-ticker';
import { useRetryingLoad } from './useWallData';

/** The case statistics are read again this often (the promise kept moves slowly; the counts come live). */
const STATISTICS_EVERY_MS = 5 * 60_000;
/** How often the ticker looks for notices to fade or drop. */
const TICKER_TICK_MS = 15_000;

export interface CasesPanelData {
  /** Open, overdue and supervised cases of the area; null until their indicators have a value there. */
  open: number | null;
  overdue: number | null;
  supervised: number | null;
  /** 企业呼: the districts with enterprise requests (one: the area's district), by name. */
  enterprise: CaseStatisticsRow[] | null;
  notices: readonly SupervisionNotice[];
  now: number;
  error: ApiError | null;
}

/**
 * A figure of the area from an indicator's latest values: at the area itself, or for the whole city
 * (no area) the sum over the districts. `pick` chooses the value or, for a rate, its numerator.
 */
function figureOf(
  latest: IndicatorValuesEvent | null,
  area: AreaView | null,
  districts: readonly AreaView[],
  pick: (v: IndicatorValuesEvent['values'][number]) => number | null,
): number | null {
  if (!latest) return null;
  if (area) {
    const v = latest.values.find((x) => x.areaId === area.id);
    return v ? pick(v) : null;
  }
  const ids = new Set(districts.map((d) => d.id));
  const values = latest.values.filter((x) => ids.has(x.areaId)).map(pick);
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

/**
 * What the wall's cases panel shows for an area (null: the city): the counts from the case
 * indicators (live over the wall's connection), 企业呼 promise kept per district from the case
 * statistics, and the 督办 notices heard on the `cases` channel (in the display's sight; for a
 * district only its own).
 */
export function useCasesPanel(live: LiveClient | null, area: AreaView | null, districts: readonly AreaView[]): CasesPanelData {
  const open = useLiveIndicator(live, CASE_PANEL_INDICATORS.open);
  const overdue = useLiveIndicator(live, CASE_PANEL_INDICATORS.overdue);
  const supervised = useLiveIndicator(live, CASE_PANEL_INDICATORS.supervised);
  const [statisticsError, setStatisticsError] = useState<ApiError | null>(null);
  const statistics = useRetryingLoad(fetchCaseStatisticsByDistrict, setStatisticsError, STATISTICS_EVERY_MS);

  const [notices, setNotices] = useState<readonly SupervisionNotice[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const districtCode = area?.level === 'district' ? area.code : null;
  useEffect(() => {
    if (!live) return undefined;
    live.addChannels(['cases']);
    return live.on('case.changed', (event) => {
      const notice = noticeOf(event, Date.now());
      if (!notice || (districtCode !== null && notice.districtCode !== districtCode)) return;
      setNotices((list) => addNotice(list, notice));
      setNow(Date.now());
    });
  }, [live, districtCode]);
  useEffect(() => {
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      setNotices((list) => liveNotices(list, at));
    }, TICKER_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const enterprise = useMemo(() => {
    if (!statistics) return null;
    const rows = statistics.rows.filter((r) => r.enterpriseRequests > 0);
    const mine = districtCode !== null ? rows.filter((r) => r.key === districtCode) : rows;
    return [...mine].sort((a, b) => a.key.localeCompare(b.key));
  }, [statistics, districtCode]);

  return {
    open: figureOf(open.latest, area, districts, (v) => v.numerator),
    overdue: figureOf(overdue.latest, area, districts, (v) => v.value),
    supervised: figureOf(supervised.latest, area, districts, (v) => v.value),
    enterprise,
    notices: liveNotices(notices, now),
    now,
    error: statisticsError ?? open.error ?? overdue.error ?? supervised.error,
  };
}
