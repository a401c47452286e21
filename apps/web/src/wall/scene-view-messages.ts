/**
 * What a wall scene draws besides its tiles: its catalog layers' legend and its cameras, spread
 * into both dictionaries of `i18n.ts` so the shared dictionary changes by one line each.
 */
export const SCENE_VIEW_ZH = {
  sceneLayersLegend: '图层图例',
  sceneLayersMissing: '未找到图层，未绘制：{keys}',
  sceneCamerasTitle: '视频监控',
  sceneCamerasCity: '全市',
  sceneCamerasCount: '{n} 路',
  sceneCamerasNone: '该区域暂无此视频源的摄像头',
  sceneCamerasLoading: '正在加载视频…',
} as const;

export const SCENE_VIEW_EN: Record<keyof typeof SCENE_VIEW_ZH, string> = {
  sceneLayersLegend: 'Layer legend',
  sceneLayersMissing: 'Layers not found, not drawn: {keys}',
  sceneCamerasTitle: 'Cameras',
  sceneCamerasCity: 'City-wide',
  sceneCamerasCount: '{n}',
  sceneCamerasNone: 'No camera of this feed in the area',
  sceneCamerasLoading: 'Loading cameras…',
};
