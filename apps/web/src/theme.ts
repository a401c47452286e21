/** Colours shared by the map layers, the charts and the CSS (kept in sync with wall.css). */
export const LOAD_COLORS = {
  /** Below the warning threshold. */
  normal: '#2fd07a',
  warning: '#ffb020',
  critical: '#ff3b30',
  noData: '#5b6675',
} as const;

export const ACCENT = '#35c6ff';

export type LoadBand = 'normal' | 'warning' | 'critical' | 'noData';

export function loadBand(value: number | null | undefined, warning: number, critical: number): LoadBand {
  if (value === null || value === undefined || Number.isNaN(value)) return 'noData';
  if (value >= critical) return 'critical';
  if (value >= warning) return 'warning';
  return 'normal';
}
