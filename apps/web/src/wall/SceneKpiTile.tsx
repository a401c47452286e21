import { useMemo } from 'react';
import type { SceneKpi } from '@cityops/contracts';
import { useI18n } from '../i18n';
import type { LiveClient } from '../live/socket';
import { useLiveIndicator } from '../live/useLiveIndicator';
import { ACCENT } from '../theme';
import { formatValueNumber, unitLabel } from './indicator-format';
import { KpiTile } from './KpiTile';

/** A scene's KPI tile: an indicator's latest value in its area (no area: its highest value), live. */
export function SceneKpiTile({ kpi, live, index }: { kpi: SceneKpi; live: LiveClient | null; index: number }) {
  const { lang } = useI18n();
  const { latest } = useLiveIndicator(live, kpi.indicatorKey);
  const value = useMemo(() => {
    const values = latest?.values ?? [];
    if (kpi.areaId !== null) return values.find((v) => v.areaId === kpi.areaId)?.value ?? null;
    return values.length ? Math.max(...values.map((v) => v.value)) : null;
  }, [latest, kpi.areaId]);
  const style = latest ?? {};
  return (
    <KpiTile
      id={`scene-${index}`}
      label={lang === 'en' && kpi.labelEn ? kpi.labelEn : kpi.label}
      value={value === null ? '—' : formatValueNumber(value, style, lang)}
      unit={unitLabel(style)}
      tone="neutral"
      series={[]}
      seriesColor={ACCENT}
    />
  );
}
