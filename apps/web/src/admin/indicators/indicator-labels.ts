import type { AggregationAcross, AggregationPerEntity, IndicatorDefinitionView, Normalisation, NoDataPolicy } from '@cityops/contracts';
import type { MessageKey, Translate } from '../../i18n';

export const AGGREGATION_LABELS: Record<AggregationPerEntity | AggregationAcross, MessageKey> = {
  latest: 'aggLatest',
  sum: 'aggSum',
  avg: 'aggAvg',
  min: 'aggMin',
  max: 'aggMax',
  count: 'aggCount',
  p95: 'aggP95',
  rate_per_minute: 'aggRatePerMinute',
};

export const NORMALISATION_LABELS: Record<Normalisation, MessageKey> = {
  per_capacity: 'normPerCapacity',
  per_10k_residents: 'normPer10k',
  per_km2: 'normPerKm2',
};

export const NO_DATA_LABELS: Record<NoDataPolicy, MessageKey> = {
  keep: 'noDataKeep',
  stale: 'noDataStale',
  resolve: 'noDataResolve',
};

export const AREA_LEVEL_LABELS: Record<string, MessageKey> = {
  city: 'levelCity',
  district: 'levelDistrict',
  street: 'levelStreet',
  community: 'levelCommunity',
  grid: 'levelGrid',
};

/** `fair-gates · headcount · 最新值 → 求和 · 除以容量`, or the formula of a composite. */
export function sourceSummary(t: Translate, view: IndicatorDefinitionView): string {
  const { source } = view;
  if (source.kind === 'composite') return source.formula;
  return [
    `${source.feed} · ${source.metric}`,
    `${t(AGGREGATION_LABELS[source.perEntity])} → ${t(AGGREGATION_LABELS[source.across])}`,
    source.normalise ? t(NORMALISATION_LABELS[source.normalise]) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `区 / 街道`, or `分区集 flower-fair`. */
export function groupingSummary(t: Translate, view: IndicatorDefinitionView): string {
  const { grouping } = view;
  if ('zoneSet' in grouping) return `${t('levelZoneSet')} ${grouping.zoneSet}`;
  return grouping.levels.map((l) => (AREA_LEVEL_LABELS[l] ? t(AREA_LEVEL_LABELS[l]) : l)).join(' / ');
}
