import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { init, use as registerChartParts, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what a sparkline needs, to keep the bundle small.
registerChartParts([LineChart, GridComponent, CanvasRenderer]);

type SparklineOption = ComposeOption<LineSeriesOption | GridComponentOption>;

/** One point: epoch ms and value. */
export type SparkPoint = [number, number];

export interface SparklineProps {
  points: readonly SparkPoint[];
  color: string;
  /** Start the value axis at zero (counts) instead of at the data's minimum. */
  fromZero?: boolean;
}

/** CSS pixels per rem, so lines keep their weight on a 4K wall. */
function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function optionFor({ points, color, fromZero }: SparklineProps): SparklineOption {
  const scale = remPx() / 16;
  return {
    animation: false,
    grid: { left: 0, right: 0, top: 3 * scale, bottom: 3 * scale },
    xAxis: { type: 'time', show: false },
    yAxis: {
      type: 'value',
      show: false,
      min: fromZero ? 0 : 'dataMin',
      max: (extent: { max: number }) => (extent.max > 0 ? extent.max : 1),
    },
    series: [
      {
        type: 'line',
        data: points.map((p) => [p[0], p[1]]),
        // A lone point draws no line: show it as a dot until the second one comes.
        showSymbol: points.length === 1,
        silent: true,
        lineStyle: { color, width: 2 * scale },
        areaStyle: { color, opacity: 0.14 },
      },
    ],
  };
}

/** A tiny ECharts line (no axes, no tooltip: nobody hovers a wall). */
export function Sparkline({ points, color, fromZero }: SparklineProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  // The resize observer redraws with whatever the chart shows at that moment.
  const propsRef = useRef<SparklineProps>({ points, color, fromZero });

  useEffect(() => {
    const element = elementRef.current;
    if (!element) return undefined;
    const chart = init(element, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.setOption(optionFor(propsRef.current));
    const observer = new ResizeObserver(() => {
      chart.resize();
      chart.setOption(optionFor(propsRef.current));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chartRef.current = null;
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    propsRef.current = { points, color, fromZero };
    chartRef.current?.setOption(optionFor(propsRef.current));
  }, [points, color, fromZero]);

  return <div ref={elementRef} className="sparkline" aria-hidden="true" />;
}
