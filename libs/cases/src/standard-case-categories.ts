import type { CaseCategoryGroupSetup } from './case-setup.service';

/**
 * The case categories of a Chinese city's grid management (网格化管理), in the groups its
 * departments are organised by, with deadlines in working hours: from dispatch to acceptance,
 * from acceptance to resolution. Catalogue reference data like the standard departments, not demo
 * data: `cli.js prepare` loads it into an empty catalog, and a deployment edits it from there.
 * 企业呼 (enterprise requests) promise a first answer within 24 hours of the clock.
 */
export const STANDARD_CASE_CATEGORIES: readonly CaseCategoryGroupSetup[] = [
  {
    key: 'urban-management',
    name: '城管',
    nameEn: 'Urban management',
    responsePromiseHours: null,
    categories: [
      { key: 'street-vending', name: '占道经营', nameEn: 'Street vending', acceptHours: 2, resolveHours: 8 },
      { key: 'illegal-construction', name: '违法建设', nameEn: 'Illegal construction', acceptHours: 4, resolveHours: 40 },
      { key: 'illegal-advertising', name: '违规广告', nameEn: 'Illegal advertising', acceptHours: 4, resolveHours: 24 },
    ],
  },
  {
    key: 'municipal',
    name: '市政',
    nameEn: 'Municipal works',
    responsePromiseHours: null,
    categories: [
      { key: 'road-damage', name: '道路破损', nameEn: 'Damaged road', acceptHours: 4, resolveHours: 40 },
      { key: 'manhole-cover', name: '井盖缺损', nameEn: 'Missing manhole cover', acceptHours: 1, resolveHours: 8 },
      { key: 'streetlight', name: '路灯故障', nameEn: 'Streetlight out', acceptHours: 4, resolveHours: 24 },
    ],
  },
  {
    key: 'sanitation',
    name: '环卫',
    nameEn: 'Sanitation',
    responsePromiseHours: null,
    categories: [
      { key: 'garbage-pile', name: '垃圾堆积', nameEn: 'Garbage pile', acceptHours: 2, resolveHours: 8 },
      { key: 'public-toilet', name: '公厕问题', nameEn: 'Public toilet', acceptHours: 4, resolveHours: 16 },
    ],
  },
  {
    key: 'water-affairs',
    name: '水务',
    nameEn: 'Water',
    responsePromiseHours: null,
    categories: [
      { key: 'road-flooding', name: '道路积水', nameEn: 'Flooded road', acceptHours: 1, resolveHours: 8 },
      { key: 'drain-blocked', name: '排水堵塞', nameEn: 'Blocked drain', acceptHours: 2, resolveHours: 16 },
    ],
  },
  {
    key: 'greening',
    name: '园林',
    nameEn: 'Parks and trees',
    responsePromiseHours: null,
    categories: [
      { key: 'fallen-tree', name: '树木倒伏', nameEn: 'Fallen tree', acceptHours: 1, resolveHours: 8 },
      { key: 'green-damage', name: '绿化损坏', nameEn: 'Damaged greenery', acceptHours: 4, resolveHours: 40 },
    ],
  },
  {
    key: 'traffic',
    name: '交通',
    nameEn: 'Traffic',
    responsePromiseHours: null,
    categories: [
      { key: 'illegal-parking', name: '违规停车', nameEn: 'Illegal parking', acceptHours: 1, resolveHours: 4 },
      { key: 'signal-fault', name: '信号灯故障', nameEn: 'Traffic light fault', acceptHours: 1, resolveHours: 8 },
    ],
  },
  {
    key: 'public-order',
    name: '治安',
    nameEn: 'Public order',
    responsePromiseHours: null,
    categories: [
      { key: 'fire-lane-blocked', name: '消防通道堵塞', nameEn: 'Blocked fire lane', acceptHours: 1, resolveHours: 4 },
      { key: 'noise', name: '噪声扰民', nameEn: 'Noise', acceptHours: 2, resolveHours: 8 },
    ],
  },
  {
    key: 'enterprise',
    name: '企业服务',
    nameEn: 'Enterprise services',
    responsePromiseHours: 24,
    categories: [
      { key: 'permit-help', name: '审批办理', nameEn: 'Permits', acceptHours: 4, resolveHours: 40 },
      { key: 'utility-supply', name: '水电气保障', nameEn: 'Water, power and gas supply', acceptHours: 2, resolveHours: 24 },
      { key: 'policy-query', name: '政策咨询', nameEn: 'Policy questions', acceptHours: 4, resolveHours: 24 },
    ],
  },
];
