import { useEffect, useMemo, useState } from 'react';
import type { EntitySeries, IndicatorDefinitionView, IndicatorValuesEvent, LiveLayerMetric, ThresholdLevel } from '@cityops/contracts';
import { fetchBlob, fetchEntitySeries, fetchHistory } from '../api/analyst-map-api';
import { ApiError, isAbortError } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { formatValue, formatValueNumber } from '../wall/indicator-format';
import { BAND_COLORS, bandOf, opSymbol } from './choropleth-colors';
import type { MapTarget } from './map-target';
import { TrendChart } from './TrendChart';

const DAY_MS = 86400_000;

export interface FeaturePopupProps {
  target: MapTarget;
  indicators: readonly IndicatorDefinitionView[];
  latest: ReadonlyMap<string, IndicatorValuesEvent>;
  /** The choropleth's indicator, preferred for an area's trend. */
  indicatorKey: string | null;
}

const SEVERITY_WORD: Record<ThresholdLevel['level'], MessageKey> = {
  notice: 'mapLegendNotice',
  warning: 'mapLegendWarning',
  critical: 'mapLegendCritical',
};

/** What a click on the map shows: the thing's details, and for an area or zone its indicator's day with thresholds. */
export function FeaturePopup({ target, indicators, latest, indicatorKey }: FeaturePopupProps) {
  const { t, lang } = useI18n();
  const rows: [string, string][] = [];
  let title = '';
  let trendKey: string | null = null;
  let areaId: number | null = null;
  switch (target.kind) {
    case 'area':
    case 'zone': {
      title = target.name;
      areaId = target.id;
      if (target.code) rows.push([t('mapPopupCode'), target.code]);
      if (target.level) rows.push([t('mapPopupLevel'), t(`mapLevel_${target.level}` as MessageKey)]);
      if (target.kind === 'zone' && target.capacity !== null) rows.push([t('mapPopupCapacity'), String(target.capacity)]);
      const preferred = target.kind === 'zone' ? target.indicator : indicatorKey;
      const has = (key: string | null) => key !== null && Boolean(latest.get(key)?.values.some((v) => v.areaId === target.id));
      trendKey = has(preferred) ? preferred : (indicators.find((d) => has(d.key))?.key ?? preferred);
      break;
    }
    case 'entity':
      title = target.name ?? target.id;
      if (target.entityKind) rows.push([t('mapPopupKind'), target.entityKind]);
      if (target.status) rows.push([t('mapPopupStatus'), target.status]);
      if (target.ts) rows.push([t('mapPopupUpdated'), formatDateTime(target.ts)]);
      for (const r of target.readings ?? []) {
        const metric = target.metrics?.find((m) => m.key === r.metric);
        const value = formatValue(r.value, { unit: metric?.unit }, lang);
        rows.push([metricName(metric, r.metric, lang), r.ts ? t('mapPopupReadingAt', { value, time: formatDateTime(r.ts) }) : value]);
      }
      break;
    case 'heat':
      title = lang === 'en' ? (target.layer.nameEn ?? target.layer.name) : target.layer.name;
      if (target.count !== null) rows.push([t('mapPopupCount'), String(target.count)]);
      if (target.mean !== null) rows.push([t('mapPopupMean'), target.mean.toFixed(1)]);
      break;
    case 'feature':
      title = lang === 'en' ? (target.layer.nameEn ?? target.layer.name) : target.layer.name;
      for (const [k, v] of Object.entries(target.properties).slice(0, 8)) rows.push([k, String(v)]);
      break;
  }
  return (
    <div className="map-popup" data-testid="map-popup" data-kind={target.kind}>
      <h3>{title}</h3>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {areaId !== null ? (
        <AreaTrend
          key={`${trendKey ?? ''}:${areaId}`}
          areaId={areaId}
          definition={indicators.find((d) => d.key === trendKey) ?? null}
          latest={trendKey ? latest.get(trendKey) : undefined}
        />
      ) : null}
      {target.kind === 'entity' ? <EntityTrend key={`${target.feed}/${target.id}`} feed={target.feed} id={target.id} /> : null}
      {target.kind === 'entity' ? <EntitySnapshot feed={target.feed} id={target.id} /> : null}
    </div>
  );
}

function AreaTrend({
  areaId,
  definition,
  latest,
}: {
  areaId: number;
  definition: IndicatorDefinitionView | null;
  latest?: IndicatorValuesEvent;
}) {
  const { t, lang } = useI18n();
  const [points, setPoints] = useState<[number, number][] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = definition?.key ?? null;

  useEffect(() => {
    if (!key) return undefined;
    const controller = new AbortController();
    fetchHistory(key, new Date(Date.now() - DAY_MS), { area: areaId, signal: controller.signal }).then(
      (history) => setPoints(history.map((p) => [Date.parse(p.ts), p.last ?? p.value])),
      (e: unknown) => {
        if (!isAbortError(e)) setError(e instanceof ApiError ? e : null);
      },
    );
    return () => controller.abort();
  }, [key, areaId]);

  const thresholds = useMemo(() => definition?.thresholds?.levels ?? [], [definition]);
  const style = useMemo(() => ({ unit: definition?.unit, format: definition?.format }), [definition]);
  const chartProps = useMemo(
    () => ({
      points: points ?? [],
      thresholds,
      thresholdLabel: (level: ThresholdLevel) =>
        t('mapThresholdLine', {
          level: t(SEVERITY_WORD[level.level]),
          op: opSymbol(level.op),
          value: formatValue(level.value, style, lang),
        }),
      formatValue: (v: number) => formatValue(v, style, lang),
    }),
    [points, thresholds, style, t, lang],
  );
  if (!definition) return <p className="dim">{t('mapPopupNoIndicator')}</p>;
  const name = lang === 'en' ? (definition.nameEn ?? definition.name) : definition.name;
  const now = latest?.values.find((v) => v.areaId === areaId)?.value ?? null;
  return (
    <section className="map-popup-trend" data-indicator={definition.key}>
      {now !== null ? (
        <p className="map-popup-now">
          <span>{t('mapPopupValueNow', { name })}</span>{' '}
          <strong style={{ color: BAND_COLORS[bandOf(now, thresholds)] }}>{formatValue(now, style, lang)}</strong>
        </p>
      ) : null}
      <h4>{t('mapPopupTrend', { name })}</h4>
      {error ? <p className="dim">{error.message}</p> : null}
      {points && points.length === 0 ? <p className="dim">{t('mapPopupNoTrend')}</p> : null}
      {points && points.length > 0 ? <TrendChart {...chartProps} /> : null}
    </section>
  );
}

const metricName = (metric: LiveLayerMetric | undefined, key: string, lang: string) => (lang === 'en' ? key : (metric?.name ?? key));

/** The window of an entity's trend. */
const ENTITY_TREND_HOURS = 24;

/**
 * An entity's day per metric (ten-minute averages), with the metric's valid range stated and the
 * thresholds of an indicator that reads the metric on its own scale drawn in; an entity feed's
 * entity adds its numeric props, drawn the same way. An entity the caller cannot see answers 404
 * and shows nothing.
 */
function EntityTrend({ feed, id }: { feed: string; id: string }) {
  const { t } = useI18n();
  const [series, setSeries] = useState<EntitySeries | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchEntitySeries(feed, id, ENTITY_TREND_HOURS, controller.signal).then(setSeries, (e: unknown) => {
      if (isAbortError(e)) return;
      if (e instanceof ApiError && e.status === 404) setSeries(null);
      else setError(e instanceof ApiError ? e : null);
    });
    return () => controller.abort();
  }, [feed, id]);
  if (error) return <p className="dim">{error.message}</p>;
  if (!series) return null;
  if (series.metrics.length === 0) return <p className="dim">{t('mapEntityNoReadings', { hours: ENTITY_TREND_HOURS })}</p>;
  return (
    <>
      {series.metrics.map((m) => (
        <MetricTrend key={m.metric.key} metric={m} bucketSeconds={series.bucketSeconds} />
      ))}
    </>
  );
}

function MetricTrend({ metric: m, bucketSeconds }: { metric: EntitySeries['metrics'][number]; bucketSeconds: number }) {
  const { t, lang } = useI18n();
  const style = useMemo(() => ({ unit: m.metric.unit }), [m.metric.unit]);
  // The first indicator that applies draws its lines; one set of lines keeps the chart readable.
  const applied = m.thresholds[0] ?? null;
  const chartProps = useMemo(
    () => ({
      points: m.points.map((p): [number, number] => [Date.parse(p.ts), p.avg]),
      thresholds: applied?.levels ?? [],
      thresholdLabel: (level: ThresholdLevel) =>
        t('mapThresholdLine', {
          level: t(SEVERITY_WORD[level.level]),
          op: opSymbol(level.op),
          value: formatValue(level.value, style, lang),
        }),
      formatValue: (v: number) => formatValue(v, style, lang),
    }),
    [m.points, applied, style, t, lang],
  );
  const name = metricName(m.metric, m.metric.key, lang);
  const minutes = Math.round(bucketSeconds / 60);
  const { min, max } = m.metric;
  return (
    <section className="map-popup-trend" data-testid="entity-trend" data-metric={m.metric.key} data-source={m.source}>
      <h4>{t('mapEntityTrend', { metric: name, hours: ENTITY_TREND_HOURS })}</h4>
      <p className="dim">
        {m.metric.unit ? t('mapEntityTrendWindow', { minutes, unit: m.metric.unit }) : t('mapEntityTrendWindowNoUnit', { minutes })}
        {m.source === 'prop' ? ` · ${t('mapEntityFromProps', { key: m.metric.key })}` : ''}
        {min !== null && max !== null
          ? ` · ${t('mapEntityRange', { min: formatValueNumber(min, style, lang), max: formatValueNumber(max, style, lang) })}`
          : ''}
        {' · '}
        {applied
          ? t('mapEntityThresholdsOf', { name: lang === 'en' ? (applied.nameEn ?? applied.name) : applied.name })
          : t('mapEntityNoThresholds')}
      </p>
      <TrendChart {...chartProps} />
    </section>
  );
}

/** A camera's frame, fetched with the bearer token; other entity feeds have none and show nothing. */
function EntitySnapshot({ feed, id }: { feed: string; id: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetchBlob(`/api/cameras/${encodeURIComponent(feed)}/${encodeURIComponent(id)}/snapshot`, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => setUrl(null),
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [feed, id]);
  if (!url) return null;
  return (
    <figure className="map-popup-snapshot" data-testid="map-popup-snapshot">
      <img src={url} alt={t('mapPopupSnapshot')} />
    </figure>
  );
}
