import { useSyncExternalStore } from 'react';

/** Simplified Chinese by default; English on the header switch or with `?lang=en` (kiosks). */
export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'cityops.lang';

const zh = {
  appTitle: '穗智管 · 城市运行中心',
  demoBadge: '演示数据 DEMO DATA',
  langSwitch: 'EN',
  langSwitchLabel: 'Switch to English',
  loading: '正在加载…',
  retrying: '{s} 秒后自动重试',
  errorGeneric: '请求失败',
  errorNetwork: '无法连接服务器',
  errorNetworkDetail: '请检查网络连接，系统会自动重试。',

  kpiWarningZones: '负荷≥{pct} {zones}数',
  kpiCriticalZones: '超容量(≥{pct}) {zones}数',
  kpiOpenAlerts: '未处理告警',
  kpiOpenAlertsUnit: '条',
  kpiOfTotal: '共 {n} {unit}',
  kpiCriticalAlerts: '其中严重 {n} 条',

  sceneNoneTitle: '未配置大屏场景',
  sceneNoneBody: '本屏照常显示地图、行政区和告警。管理员配置大屏场景（PUT /api/scenes/<键>）后，这里显示该场景的分区、体征和告警阈值。',
  sceneUnknownTitle: '大屏场景“{key}”不存在或未启用',
  sceneUnknownBody: '可用的场景：{list}。请检查大屏链接中的 scene 参数。',
  sceneListEmpty: '无',

  segmentsTitle: '{zones}负荷',
  segmentsSubtitle: '人数 / 容量',
  noData: '无数据',

  alertsTitle: '实时告警',
  alertsEmpty: '暂无未处理告警',
  levelWarning: '预警',
  levelCritical: '严重',
  alertLoad: '负荷',
  alertOpenFor: '已持续 {d}',
  alertAck: '确认',
  alertAcked: '已确认',
  alertNew: '新',
  alertMore: '另有 {n} 条',

  bannerCritical: '严重告警 · 超容量',
  bannerLoad: '负荷 {pct}',

  connectionLost: '连接已断开，正在重连…',
  dataStale: '数据已过期：最后更新 {time}',
  dataNone: '暂无实时数据',

  legendTitle: '{zones}负荷',
  legendLow: '<{pct}',
  legendNoData: '无数据',

  signInTitle: '登录',
  signInHint: '大屏使用只读的 kiosk 链接自动登录；没有链接时请用账号登录。',
  username: '用户名',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
  signedInAs: '{name}',
  kioskSigningIn: '正在验证大屏令牌…',

  homeTitle: '穗智管 · 城市运行中心',
  homeWall: '指挥大屏',
  homeWallHint: '城市运行体征、实时告警与一张图（大屏模式）',
  notBuiltTitle: '此页面尚未建成',
  notBuiltBody: '该功能仍在开发中。',
  notFoundTitle: '页面不存在',
  backHome: '返回首页',

  homeCatalog: '数据目录',
  homeCatalogHint: '各部门数据源：定义、运行状况、最新记录与被拒记录',
  catalogSignInHint: '数据目录供各部门数据分析员和管理员使用，请用账号登录。',
  signOut: '退出登录',
  refresh: '刷新',
  retry: '重试',
  emptyData: '暂无数据',
  listSeparator: '、',

  feedHealthWarning: '数据源异常 {n}',
  feedHealthMore: '等 {n} 个',

  catalogTitle: '数据目录',
  catalogSubtitle: '各部门接入的数据源',
  filterDepartments: '部门',
  filterThemes: '主题',
  filterAll: '全部',
  filterClear: '清除筛选',
  searchLabel: '搜索数据源',
  searchPlaceholder: '名称或标识',
  feedsTitle: '数据源',
  feedsCount: '共 {n} 个',
  feedsEmpty: '没有符合条件的数据源',
  colName: '名称',
  colDepartment: '部门',
  colThemeKind: '主题 / 类型',
  colHealth: '状态',
  colRate: '条/分钟',
  colLastRecord: '最新记录',
  kindObservation: '观测',
  kindEntity: '实体',
  kindEvent: '事件',
  statusOk: '正常',
  statusStale: '延迟',
  statusFailing: '故障',
  statusSilent: '无数据',
  statusUnknown: '未知',
  themeCrowd: '人流',
  themeGeneral: '综合',
  themeTraffic: '交通',
  themeEnvironment: '环境',
  themeWater: '水务',
  themeWeather: '气象',
  themeSafety: '安全',
  themeEnergy: '能源',
  themeHealth: '卫生健康',

  justNow: '刚刚',
  agoS: '{n} 秒前',
  agoM: '{n} 分钟前',
  agoH: '{n} 小时前',
  agoD: '{n} 天前',
  inS: '{n} 秒后',
  inM: '{n} 分钟后',
  inH: '{n} 小时后',
  inD: '{n} 天后',
  unitSeconds: '{n} 秒',
  unitMinutes: '{n} 分钟',
  unitHours: '{n} 小时',
  unitDays: '{n} 天',
  never: '从未',

  detailEmpty: '请在列表中选择一个数据源查看详情。',
  fieldKey: '标识',
  fieldDescription: '说明',
  fieldOwner: '负责人 / 联系方式',
  fieldCadence: '预期上报频率',
  fieldRetention: '保留期限',
  fieldZoneSet: '分区集',
  cadenceEvery: '每 {d}',
  notSet: '未设定',
  healthTitle: '运行状况',
  healthRate: '记录速率',
  healthRateValue: '{n} 条/分钟',
  healthLastRecord: '最新记录',
  healthLag: '滞后',
  healthLate: '晚到 {d}',
  healthOnTime: '按时',
  healthRejectedShare: '近 1 小时被拒比例',
  healthCheckedAt: '检查于 {time}',
  healthUnavailable: '暂无运行状况数据',
  metricsTitle: '指标',
  metricsEmpty: '未定义指标',
  colKey: '标识',
  colUnit: '单位',
  colRange: '有效范围',
  rangeAny: '不限',
  connectorTitle: '拉取连接器',
  connectorNone: '无：由数据源系统主动推送',
  connectorUrl: '地址',
  connectorFormat: '格式',
  connectorInterval: '拉取间隔',
  connectorItemsPath: '数据路径',
  connectorMapping: '字段映射',
  connectorHeaders: '请求头',
  connectorLastRun: '最近运行',
  connectorLastSuccess: '最近成功',
  connectorLastError: '最近错误',
  connectorFailures: '连续失败 {n} 次',
  connectorNextRun: '下次运行',
  connectorNoState: '连接器尚未运行',
  sampleTitle: '最新记录',
  sampleSubtitle: '最近 {n} 条',
  entitiesTitle: '实体',
  entitiesSubtitle: '最近更新的 {n} 个',
  colTime: '时间',
  colEntity: '对象',
  colMetric: '指标',
  colValue: '数值',
  colArea: '区域',
  colAreaLocation: '区域 / 位置',
  colReceived: '接收时间',
  receivedAt: '接收于 {time}',
  colProps: '属性',
  colId: 'ID',
  colGeometry: '几何',
  colHistory: '历史状态数',
  rejectedTitle: '被拒记录',
  rejectedSubtitle: '最近 {n} 条',
  rejectedNoPermission: '只有管理员和数据分析员可以查看被拒记录。',
  colReason: '原因',
  colSource: '来源',
  colBatch: '批次 / 序号',
  colRaw: '原始记录',
  colState: '处理',
  showRaw: '展开',
  rejectedPending: '待处理',
  rejectedReplayed: '已于 {time} 重新处理',
  sourceHttp: 'HTTP 推送',
  sourceMqtt: 'MQTT',
  sourcePull: '连接器拉取',
  sourceReplay: '重新处理',
  replay: '重新处理',
  replaying: '正在重新处理…',
  replayHint: '按当前定义重新校验尚未处理的被拒记录',
  replayResult: '已处理 {replayed} 条：接受 {accepted}，重复 {duplicates}，仍被拒 {still}',
  replayNothing: '没有待处理的被拒记录',

  durH: '{h}小时{m}分',
  durM: '{m}分{s}秒',
  durS: '{s}秒',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appTitle: 'cityops — City Operations Centre',
  demoBadge: '演示数据 DEMO DATA',
  langSwitch: '中文',
  langSwitchLabel: '切换到中文',
  loading: 'Loading…',
  retrying: 'Retrying in {s} s',
  errorGeneric: 'Request failed',
  errorNetwork: 'Cannot reach the server',
  errorNetworkDetail: 'Check the network connection; the screen retries by itself.',

  kpiWarningZones: '{Zones} ≥ {pct} load',
  kpiCriticalZones: 'Over capacity (≥ {pct})',
  kpiOpenAlerts: 'Open alerts',
  kpiOpenAlertsUnit: '',
  kpiOfTotal: 'of {n} {zones}',
  kpiCriticalAlerts: '{n} critical',

  sceneNoneTitle: 'No wall scene configured',
  sceneNoneBody:
    'The wall shows the map, the districts and the alerts as usual. Once an administrator configures a wall scene (PUT /api/scenes/<key>), its zones, vital sign and alert thresholds appear here.',
  sceneUnknownTitle: 'There is no enabled wall scene “{key}”',
  sceneUnknownBody: 'Scenes available: {list}. Check the scene parameter of the wall’s link.',
  sceneListEmpty: 'none',

  segmentsTitle: 'Load across {zones}',
  segmentsSubtitle: 'people / capacity',
  noData: 'no data',

  alertsTitle: 'Live alerts',
  alertsEmpty: 'No open alerts',
  levelWarning: 'Warning',
  levelCritical: 'Critical',
  alertLoad: 'load',
  alertOpenFor: 'open {d}',
  alertAck: 'Acknowledge',
  alertAcked: 'Acknowledged',
  alertNew: 'NEW',
  alertMore: '{n} more',

  bannerCritical: 'CRITICAL · over capacity',
  bannerLoad: 'load {pct}',

  connectionLost: 'Connection lost — reconnecting…',
  dataStale: 'Data is stale: last update {time}',
  dataNone: 'No live data yet',

  legendTitle: 'Load',
  legendLow: '<{pct}',
  legendNoData: 'No data',

  signInTitle: 'Sign in',
  signInHint: 'The wall signs in by itself with its read-only kiosk link; without one, sign in with an account.',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signedInAs: '{name}',
  kioskSigningIn: 'Checking the wall token…',

  homeTitle: 'cityops — City Operations Centre',
  homeWall: 'Command wall',
  homeWallHint: 'Vital signs, live alerts and the city on one map (wall screen)',
  notBuiltTitle: 'This page is not built yet',
  notBuiltBody: 'This part of cityops is still being developed.',
  notFoundTitle: 'Page not found',
  backHome: 'Back to the home page',

  homeCatalog: 'Data catalog',
  homeCatalogHint: 'Department feeds: definitions, health, latest and rejected records',
  catalogSignInHint: 'The data catalog is for department analysts and administrators: sign in with your account.',
  signOut: 'Sign out',
  refresh: 'Refresh',
  retry: 'Retry',
  emptyData: 'No data',
  listSeparator: ', ',

  feedHealthWarning: 'Feed issues {n}',
  feedHealthMore: '+{n} more',

  catalogTitle: 'Data catalog',
  catalogSubtitle: 'Feeds the departments send in',
  filterDepartments: 'Departments',
  filterThemes: 'Themes',
  filterAll: 'All',
  filterClear: 'Clear filters',
  searchLabel: 'Search feeds',
  searchPlaceholder: 'Name or key',
  feedsTitle: 'Feeds',
  feedsCount: '{n} in all',
  feedsEmpty: 'No feeds match these filters',
  colName: 'Name',
  colDepartment: 'Department',
  colThemeKind: 'Theme / kind',
  colHealth: 'Health',
  colRate: 'Records/min',
  colLastRecord: 'Last record',
  kindObservation: 'Observation',
  kindEntity: 'Entity',
  kindEvent: 'Event',
  statusOk: 'OK',
  statusStale: 'Stale',
  statusFailing: 'Failing',
  statusSilent: 'Silent',
  statusUnknown: 'Unknown',
  themeCrowd: 'Crowds',
  themeGeneral: 'General',
  themeTraffic: 'Traffic',
  themeEnvironment: 'Environment',
  themeWater: 'Water',
  themeWeather: 'Weather',
  themeSafety: 'Safety',
  themeEnergy: 'Energy',
  themeHealth: 'Health',

  justNow: 'just now',
  agoS: '{n} s ago',
  agoM: '{n} min ago',
  agoH: '{n} h ago',
  agoD: '{n} d ago',
  inS: 'in {n} s',
  inM: 'in {n} min',
  inH: 'in {n} h',
  inD: 'in {n} d',
  unitSeconds: '{n} s',
  unitMinutes: '{n} min',
  unitHours: '{n} h',
  unitDays: '{n} days',
  never: 'never',

  detailEmpty: 'Select a feed in the list to see its details.',
  fieldKey: 'Key',
  fieldDescription: 'Description',
  fieldOwner: 'Owner contact',
  fieldCadence: 'Expected cadence',
  fieldRetention: 'Retention',
  fieldZoneSet: 'Zone set',
  cadenceEvery: 'every {d}',
  notSet: 'not set',
  healthTitle: 'Health',
  healthRate: 'Record rate',
  healthRateValue: '{n} / min',
  healthLastRecord: 'Last record',
  healthLag: 'Lag',
  healthLate: '{d} late',
  healthOnTime: 'on time',
  healthRejectedShare: 'Rejected share (last hour)',
  healthCheckedAt: 'checked {time}',
  healthUnavailable: 'No health figures yet',
  metricsTitle: 'Metrics',
  metricsEmpty: 'No metrics defined',
  colKey: 'Key',
  colUnit: 'Unit',
  colRange: 'Valid range',
  rangeAny: 'any',
  connectorTitle: 'Pull connector',
  connectorNone: 'None: the source system pushes its records',
  connectorUrl: 'URL',
  connectorFormat: 'Format',
  connectorInterval: 'Interval',
  connectorItemsPath: 'Items path',
  connectorMapping: 'Field mapping',
  connectorHeaders: 'Headers',
  connectorLastRun: 'Last run',
  connectorLastSuccess: 'Last success',
  connectorLastError: 'Last error',
  connectorFailures: '{n} failures in a row',
  connectorNextRun: 'Next run',
  connectorNoState: 'The connector has not run yet',
  sampleTitle: 'Latest records',
  sampleSubtitle: 'latest {n}',
  entitiesTitle: 'Entities',
  entitiesSubtitle: '{n} most recently updated',
  colTime: 'Time',
  colEntity: 'Entity',
  colMetric: 'Metric',
  colValue: 'Value',
  colArea: 'Area',
  colAreaLocation: 'Area / location',
  colReceived: 'Received',
  receivedAt: 'received {time}',
  colProps: 'Properties',
  colId: 'ID',
  colGeometry: 'Geometry',
  colHistory: 'States kept',
  rejectedTitle: 'Rejected records',
  rejectedSubtitle: 'latest {n}',
  rejectedNoPermission: 'Only administrators and analysts can see rejected records.',
  colReason: 'Reason',
  colSource: 'Source',
  colBatch: 'Batch / index',
  colRaw: 'Raw record',
  colState: 'State',
  showRaw: 'Show',
  rejectedPending: 'pending',
  rejectedReplayed: 'replayed {time}',
  sourceHttp: 'HTTP push',
  sourceMqtt: 'MQTT',
  sourcePull: 'Connector pull',
  sourceReplay: 'Replay',
  replay: 'Replay',
  replaying: 'Replaying…',
  replayHint: 'Re-validates the pending rejected records against the current definition',
  replayResult: 'Replayed {replayed}: {accepted} accepted, {duplicates} duplicates, {still} still rejected',
  replayNothing: 'No pending rejected records',

  durH: '{h}h {m}m',
  durM: '{m}m {s}s',
  durS: '{s}s',
};

/** Both languages, exported so that a test can hold them to the same keys and placeholders. */
export const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

function parseLang(value: string | null): Lang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v.startsWith('zh-')) return 'zh';
  return null;
}

function readStoredLang(): Lang | null {
  try {
    return parseLang(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

function initialLang(): Lang {
  const fromUrl = parseLang(new URLSearchParams(window.location.search).get('lang'));
  return fromUrl ?? readStoredLang() ?? 'zh';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

function applyDocumentLang(lang: Lang): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}
applyDocumentLang(current);

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled on a locked-down kiosk; the switch still works for this page.
  }
  applyDocumentLang(lang);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = dictionaries[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** BCP 47 locale for `Intl` formatting. */
export function localeOf(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}

const translators: Record<Lang, Translate> = {
  zh: (key, params) => translate('zh', key, params),
  en: (key, params) => translate('en', key, params),
};

export interface I18n {
  lang: Lang;
  locale: string;
  t: Translate;
  setLang: (lang: Lang) => void;
}

export function useI18n(): I18n {
  const lang = useSyncExternalStore(subscribe, getLang);
  return { lang, locale: localeOf(lang), t: translators[lang], setLang };
}
