import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use as registerChartParts, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import type { ThresholdLevel } from '@cityops/contracts';
import { useEChart } from '../charts/useEChart';
import { BAND_COLORS } from './choropleth-colors';

registerChartParts([LineChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

type TrendOption = ComposeOption<LineSeriesOption | GridComponentOption | MarkLineComponentOption | TooltipComponentOption>;

const LINE_COLOR: Record<ThresholdLevel['level'], string> = { notice: BAND_COLORS[1], warning: BAND_COLORS[2], critical: BAND_COLORS[3] };

export interface TrendChartProps {
  /** `[epoch ms, value]`, oldest first. */
  points: readonly [number, number][];
  thresholds: readonly ThresholdLevel[];
  /** Label of each threshold line ("预警 ≥ 150"). */
  thresholdLabel: (level: ThresholdLevel) => string;
  formatValue: (value: number) => string;
}

function optionFor({ points, thresholds, thresholdLabel, formatValue }: TrendChartProps): TrendOption {
  const values = points.map((p) => p[1]);
  // The axis reaches the thresholds, so their lines are drawn even when the values stay far below.
  const reach = [...values, ...thresholds.map((t) => t.value)];
  return {
    animation: false,
    grid: { left: 44, right: 12, top: 14, bottom: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatValue(v) : String(v)) },
    xAxis: {
      type: 'time',
      axisLabel: { color: '#9fb0c8', fontSize: 10, hideOverlap: true },
      axisLine: { lineStyle: { color: '#3a4a63' } },
    },
    yAxis: {
      type: 'value',
      min: Math.min(0, ...reach),
      max: reach.length ? Math.max(...reach) * 1.08 || 1 : 1,
      axisLabel: { color: '#9fb0c8', fontSize: 10, formatter: (v: number) => formatValue(v) },
      splitLine: { lineStyle: { color: '#1e2a3d' } },
    },
    series: [
      {
        type: 'line',
        data: points.map((p) => [p[0], p[1]]),
        showSymbol: points.length === 1,
        lineStyle: { color: '#35c6ff', width: 2 },
        itemStyle: { color: '#35c6ff' },
        areaStyle: { color: '#35c6ff', opacity: 0.12 },
        markLine: {
          silent: true,
          symbol: 'none',
          data: thresholds.map((t) => ({
            yAxis: t.value,
            name: thresholdLabel(t),
            lineStyle: { color: LINE_COLOR[t.level], type: 'dashed', width: 1.5 },
            label: { formatter: thresholdLabel(t), color: LINE_COLOR[t.level], position: 'insideEndTop', fontSize: 10 },
          })),
        },
      },
    ],
  };
}

/**
 * A day's trend of one indicator in one area with its thresholds drawn as dashed lines
 * (markLine). `data-rendered` is set once ECharts has drawn it, for browser tests.
 */
export function TrendChart(props: TrendChartProps) {
  const option = useMemo(() => optionFor(props), [props]);
  const { ref, rendered } = useEChart(option);

  return (
    <div
      ref={ref}
      className="trend-chart"
      data-testid="trend-chart"
      data-points={props.points.length}
      data-threshold-lines={props.thresholds.length}
      data-rendered={rendered ? 'true' : 'false'}
    />
  );
}
