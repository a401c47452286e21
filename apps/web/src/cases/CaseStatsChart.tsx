import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use as registerChartParts, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useEChart } from '../charts/useEChart';

registerChartParts([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type StatsChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface CaseStatsChartProps {
  /** One bar group per row, in the table's order. */
  names: readonly string[];
  open: readonly number[];
  closed: readonly number[];
  /** Resolved on time, 0–1; null where nothing was decided (a gap in the line, not a 0). */
  onTime: readonly (number | null)[];
  labels: { open: string; closed: string; onTime: string };
}

function optionFor({ names, open, closed, onTime, labels }: CaseStatsChartProps): StatsChartOption {
  const axisLabel = { color: '#9fb0c8', fontSize: 11 };
  return {
    animation: false,
    grid: { left: 48, right: 52, top: 34, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: '#c8d4e6', fontSize: 12 }, data: [labels.open, labels.closed, labels.onTime] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: [...names],
      // Street names are long: turned when there are many, never dropped (each bar needs its name).
      axisLabel: { ...axisLabel, interval: 0, rotate: names.length > 8 ? 35 : 0, width: 110, overflow: 'truncate' },
      axisLine: { lineStyle: { color: '#3a4a63' } },
    },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: '#1e2a3d' } } },
      { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: labels.open, data: [...open], itemStyle: { color: '#f5a524' }, barMaxWidth: 28 },
      { type: 'bar', name: labels.closed, data: [...closed], itemStyle: { color: '#35c6ff' }, barMaxWidth: 28 },
      {
        type: 'line',
        name: labels.onTime,
        yAxisIndex: 1,
        data: onTime.map((rate) => (rate === null ? null : Math.round(rate * 1000) / 10)),
        connectNulls: false,
        lineStyle: { color: '#5ee29a', width: 2 },
        itemStyle: { color: '#5ee29a' },
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : '—') },
      },
    ],
  };
}

/**
 * The statistics table drawn: open and closed cases per row as bars, the share resolved on time
 * as a line on its own axis. `data-rendered` is set once ECharts has drawn it, for browser tests.
 */
export function CaseStatsChart(props: CaseStatsChartProps) {
  const option = useMemo(() => optionFor(props), [props]);
  const { ref, rendered } = useEChart(option);

  return (
    <div
      ref={ref}
      className="case-stats-chart"
      data-testid="case-stats-chart"
      data-bars={props.names.length}
      data-rendered={rendered ? 'true' : 'false'}
    />
  );
}
