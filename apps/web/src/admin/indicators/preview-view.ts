import type { IndicatorPreview, IndicatorPreviewArea, Severity, ThresholdLevel } from '@cityops/contracts';

/** Areas drawn in a preview; beyond these the list says "+N more". */
export const PREVIEW_AREA_CAP = 30;

/** Whether high values are the bad ones (`>=`, `>`) or low ones (`<=`, `<`); without thresholds, high. */
export function highIsBad(levels: readonly Pick<ThresholdLevel, 'op'>[] | null | undefined): boolean {
  const op = levels?.[0]?.op;
  return op === undefined || op === '>=' || op === '>';
}

export interface PreviewAreaRow {
  area: IndicatorPreviewArea;
  /** The area's worst value over the hour (the highest, or the lowest when low is bad); null without points. */
  worst: number | null;
  latest: number | null;
}

/** Areas worst first (areas without a value last), capped: what the preview draws and how many it leaves out. */
export function previewAreas(
  preview: IndicatorPreview,
  levels: readonly Pick<ThresholdLevel, 'op'>[] | null | undefined,
  cap = PREVIEW_AREA_CAP,
): { rows: PreviewAreaRow[]; more: number } {
  const high = highIsBad(levels);
  const rows = preview.areas.map((area) => {
    const values = area.points.map((p) => p.value);
    const worst = values.length ? (high ? Math.max(...values) : Math.min(...values)) : null;
    return { area, worst, latest: values.length ? values[values.length - 1] : null };
  });
  rows.sort((a, b) => {
    if (a.worst === null || b.worst === null) return a.worst === null ? (b.worst === null ? 0 : 1) : -1;
    return high ? b.worst - a.worst : a.worst - b.worst;
  });
  return { rows: rows.slice(0, cap), more: Math.max(0, rows.length - cap) };
}

export interface PreviewStretch {
  areaId: number;
  areaName: string;
  areaCode: string;
  level: Severity;
  from: string;
  /** Null: still alerting at the end of the hour. */
  to: string | null;
}

/** The "would have alerted" stretches with their areas' names, earliest first. */
export function previewStretches(preview: IndicatorPreview): PreviewStretch[] {
  const byId = new Map(preview.areas.map((a) => [a.areaId, a]));
  return (preview.alerts ?? [])
    .map((alert) => {
      const area = byId.get(alert.areaId);
      return {
        areaId: alert.areaId,
        areaName: area?.areaName ?? String(alert.areaId),
        areaCode: area?.areaCode ?? '',
        level: alert.level,
        from: alert.from,
        to: alert.to,
      };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.areaName.localeCompare(b.areaName));
}
