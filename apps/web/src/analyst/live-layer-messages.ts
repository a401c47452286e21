/**
 * The map's live layers and an entity's trend in its popup, spread into both dictionaries of
 * `i18n.ts`.
 */
export const LIVE_LAYER_ZH = {
  mapLegendLive: '实时更新',
  mapLegendLiveMetric: '按{metric}着色（{min}–{max} {unit}，低绿高红）· 实时更新',
  mapPopupReadingAt: '{value}（{time}）',
  mapEntityTrend: '{metric} 近{hours}小时',
  mapEntityTrendWindow: '每{minutes}分钟均值 · 单位 {unit}',
  mapEntityTrendWindowNoUnit: '每{minutes}分钟均值',
  mapEntityRange: '有效范围 {min}–{max}',
  mapEntityThresholdsOf: '阈值线：{name}',
  mapEntityNoThresholds: '无适用的指标阈值',
  mapEntityNoReadings: '近{hours}小时无数值读数或数值属性',
  mapEntityFromProps: '取自状态属性 {key}',
} as const;

export const LIVE_LAYER_EN: Record<keyof typeof LIVE_LAYER_ZH, string> = {
  mapLegendLive: 'live updates',
  mapLegendLiveMetric: 'coloured by {metric} ({min}–{max} {unit}, green low, red high) · live updates',
  mapPopupReadingAt: '{value} ({time})',
  mapEntityTrend: '{metric}, last {hours} h',
  mapEntityTrendWindow: '{minutes}-minute averages · unit {unit}',
  mapEntityTrendWindowNoUnit: '{minutes}-minute averages',
  mapEntityRange: 'valid range {min}–{max}',
  mapEntityThresholdsOf: 'threshold lines: {name}',
  mapEntityNoThresholds: 'no indicator thresholds apply',
  mapEntityNoReadings: 'No numeric readings or props in the last {hours} h',
  mapEntityFromProps: 'from its state prop {key}',
};
