import { init, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * An ECharts instance on a div for the life of the component: sized to the div as it resizes,
 * disposed on unmount, and given `option` whole (not merged) each time it changes. The chart's
 * parts are registered by the component that draws it (`echarts/core`'s `use`), so each page's
 * bundle holds only the charts it draws. `rendered` turns true once ECharts has drawn, for
 * browser tests.
 */
export function useEChart(option: EChartsCoreOption): { ref: RefObject<HTMLDivElement | null>; rendered: boolean } {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const chart = init(element, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('finished', () => setRendered(true));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chartRef.current = null;
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, true);
  }, [option]);

  return { ref, rendered };
}
