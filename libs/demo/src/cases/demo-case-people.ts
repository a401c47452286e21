import { createHmac } from 'node:crypto';
import type { DetectionSourceWrite, FeedDefinition, Role } from '@cityops/contracts';
import { DEMO_DISTRICT_DEPARTMENT, DEMO_ROUTING_RULES } from './demo-cases';

/** One of the simulated people who take the demo's cases through the loop. */
export interface DemoCasePerson {
  username: string;
  displayName: string;
  roles: Role[];
  department: string | null;
  /** Area codes of the scope. */
  scopes: string[];
}

/**
 * The streets the simulated grid workers walk (a street of each of three districts, two of 天河):
 * the simulated cases happen here, so a grid worker of the case's street can verify the fix.
 */
export const DEMO_CASE_STREETS = ['440106001', '440106002', '440104001', '440105001'] as const;

const STREET_NAMES: Record<(typeof DEMO_CASE_STREETS)[number], string> = {
  '440106001': '天河一街',
  '440106002': '天河二街',
  '440104001': '越秀一街',
  '440105001': '海珠一街',
};

export const DEMO_GRID_WORKERS: readonly DemoCasePerson[] = DEMO_CASE_STREETS.map((street) => ({
  username: `demo-grid-${street}`,
  displayName: `演示网格员 ${STREET_NAMES[street]} (demo grid worker)`,
  roles: ['grid_worker'],
  department: null,
  scopes: [street],
}));

/**
 * One handler for each department the demo's routing rules send cases to. Handlers see their
 * department's cases wherever they are; their area scope is only the simulated streets.
 */
export const DEMO_HANDLERS: readonly DemoCasePerson[] = [...new Set(DEMO_ROUTING_RULES.map((r) => r.department))].map((department) => ({
  username: `demo-handler-${department}`,
  displayName: `演示处置人员 ${department === DEMO_DISTRICT_DEPARTMENT.code ? '天河城管' : department} (demo handler)`,
  roles: ['handler'],
  department,
  scopes: [...DEMO_CASE_STREETS],
}));

/**
 * The command centre's operator of the simulated streets (only those: it acts on no one else's
 * cases): dispatches what no rule routed, merges duplicates, closes machine-filed cases.
 */
export const DEMO_OPERATOR: DemoCasePerson = {
  username: 'demo-operator',
  displayName: '演示指挥中心值班员 (demo operator)',
  roles: ['operator'],
  department: null,
  scopes: [...DEMO_CASE_STREETS],
};

export const DEMO_CASE_PEOPLE: readonly DemoCasePerson[] = [...DEMO_GRID_WORKERS, ...DEMO_HANDLERS, DEMO_OPERATOR];

/**
 * The password of a simulated person: HMAC-SHA256 of the user name under SIMULATOR_TOKEN, so
 * `cli.js prepare` and the simulator agree on it from the one token they share (as the feed keys
 * do). Without the token, prepare gives the accounts a random password nobody knows.
 */
export function demoPersonPassword(simulatorToken: string, username: string): string {
  return createHmac('sha256', simulatorToken).update(`person:${username}`).digest('hex');
}

/** The demo's video-analysis system: cameras that spot street problems and post them as detections. */
export const VIDEO_ANALYTICS_FEED: FeedDefinition = {
  key: 'demo-video-analytics',
  name: '视频智能分析事件',
  nameEn: 'Video analytics detections',
  description:
    '演示数据：视频智能分析在监控画面中识别占道经营、垃圾堆积、违停等问题，推送为事件并自动立案。Demo data: video analysis spots street vending, garbage and illegal parking in camera frames; each detection files a case.',
  departmentCode: 'urban-management',
  theme: 'urban-management',
  kind: 'observation',
  metrics: [],
  // Detections come when something is seen, not on a clock.
  expectedIntervalSeconds: null,
  retentionDays: 90,
  ownerContact: '市城市管理综合执法局智慧城管中心 (demo)',
  zoneSet: null,
  connector: null,
};

/** What the video analysis calls what it sees, mapped to case categories; weak sightings are kept as ignored. */
export const VIDEO_ANALYTICS_SOURCE: DetectionSourceWrite = {
  categories: {
    stall: 'street-vending',
    garbage: 'garbage-pile',
    parking: 'illegal-parking',
    advert: 'illegal-advertising',
  },
  minConfidence: 0.6,
  enabled: true,
};
