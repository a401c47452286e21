/**
 * The wall's zone panel (load trend, thresholds, alert history, cameras), spread into both
 * dictionaries of `i18n.ts` so the shared dictionary changes by one line each.
 */
export const SEGMENT_DETAIL_ZH = {
  segmentDetailClose: '关闭',
  segmentDetailCloseLabel: '关闭并返回大屏',
  segmentDetailNow: '当前负荷',
  segmentDetailTrend: '近1小时负荷',
  segmentDetailNoTrend: '近1小时无数据',
  segmentDetailThresholds: '阈值：预警 ≥ {warning}，严重 ≥ {critical}',
  segmentDetailAlerts: '告警记录',
  segmentDetailNoAlerts: '暂无告警',
  segmentDetailAlertOpen: '未恢复',
  segmentDetailAlertResolved: '已恢复 {time}',
  segmentDetailCameras: '周边视频（{n} 路）',
  segmentDetailNoCameras: '附近150米内无视频监控',
  segmentDetailOpenHint: '点击路段、列表或告警查看详情',
  cameraStatusOnline: '在线',
  cameraStatusOffline: '离线',
  cameraStatusFault: '故障',
  cameraSnapshotLoading: '正在加载画面…',
  cameraSnapshotFailed: '画面加载失败',
} as const;

export const SEGMENT_DETAIL_EN: Record<keyof typeof SEGMENT_DETAIL_ZH, string> = {
  segmentDetailClose: 'Close',
  segmentDetailCloseLabel: 'Close and return to the wall',
  segmentDetailNow: 'Load now',
  segmentDetailTrend: 'Load, last hour',
  segmentDetailNoTrend: 'No data in the last hour',
  segmentDetailThresholds: 'Thresholds: warning ≥ {warning}, critical ≥ {critical}',
  segmentDetailAlerts: 'Alert history',
  segmentDetailNoAlerts: 'No alerts',
  segmentDetailAlertOpen: 'open',
  segmentDetailAlertResolved: 'resolved {time}',
  segmentDetailCameras: 'Cameras nearby ({n})',
  segmentDetailNoCameras: 'No camera within 150 m',
  segmentDetailOpenHint: 'Click a segment, a row or an alert for details',
  cameraStatusOnline: 'online',
  cameraStatusOffline: 'offline',
  cameraStatusFault: 'fault',
  cameraSnapshotLoading: 'Loading frame…',
  cameraSnapshotFailed: 'Frame failed to load',
};
