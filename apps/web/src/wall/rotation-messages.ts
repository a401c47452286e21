/**
 * The wall's rotation (its progress line, the alert that holds it) and the scene tiles, spread
 * into both dictionaries of `i18n.ts` so the shared dictionary changes by one line each.
 */
export const ROTATION_ZH = {
  rotationStop: '轮播 {n}/{total}',
  rotationNext: '下一场景：{name}',
  rotationAlert: '严重告警接管',
  rotationResume: '处置后返回：{name}',
  sceneKindOverview: '城市总览',
  sceneKindTheme: '专题',
  sceneKindDistrict: '区域',
};

export const ROTATION_EN: typeof ROTATION_ZH = {
  rotationStop: 'Rotation {n}/{total}',
  rotationNext: 'Next: {name}',
  rotationAlert: 'Critical alert on screen',
  rotationResume: 'Then back to: {name}',
  sceneKindOverview: 'City overview',
  sceneKindTheme: 'Theme',
  sceneKindDistrict: 'District',
};
