import type { CaseDetail, CaseState } from '@cityops/contracts';
import { randomInt, type Random } from '../seeded-random';

/**
 * The pure part of the simulated case stream: what is filed next and by whom, what becomes of
 * each case (late or on time, rejected once or not, its rating), and the next step of a case in
 * the state it is in. The loop (case-simulator.ts) does the HTTP; everything here takes its
 * random stream, so a seed replays the same decisions.
 */

/** Who files: a grid worker on their beat, a citizen or an enterprise (企业呼) on the public page, the video analysis. */
export type CaseFiler = 'grid_worker' | 'citizen' | 'enterprise' | 'detection' | 'duplicate';

/** Shares of the stream (they need not add up to 1: they are weights). */
export const FILER_WEIGHTS: Readonly<Record<CaseFiler, number>> = {
  grid_worker: 0.45,
  citizen: 0.2,
  enterprise: 0.1,
  detection: 0.2,
  duplicate: 0.05,
};

export interface CaseCategories {
  grid_worker: readonly string[];
  citizen: readonly string[];
  enterprise: readonly string[];
}

/** Categories of the standard catalog each filer reports (the demo's routing rules route all of them). */
export const DEFAULT_CASE_CATEGORIES: CaseCategories = {
  grid_worker: [
    'street-vending',
    'illegal-advertising',
    'garbage-pile',
    'manhole-cover',
    'road-damage',
    'streetlight',
    'green-damage',
    'fire-lane-blocked',
  ],
  citizen: ['noise', 'road-damage', 'streetlight', 'garbage-pile', 'drain-blocked', 'illegal-parking', 'public-toilet'],
  enterprise: ['permit-help', 'utility-supply', 'policy-query'],
};

/** The detection kinds the demo video analysis reports (mapped to categories by its case source). */
export const DETECTION_KINDS = ['stall', 'garbage', 'parking', 'advert'] as const;

/** What becomes of a case, decided when it is filed. */
export interface CaseFate {
  /** The handler accepts only after the deadline has passed (and supervision, 督办, has begun). */
  lateAccept: boolean;
  /** The grid worker finds the first fix does not hold and sends it back once. */
  rejectOnce: boolean;
  /** The reporter's rating when the case closes. */
  rating: number;
}

export interface FateShares {
  late: number;
  reject: number;
}

export const DEFAULT_FATE_SHARES: FateShares = { late: 0.15, reject: 0.12 };

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

export function pickWeighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let x = random() * total;
  for (const [key, w] of entries) {
    x -= w;
    if (x < 0) return key;
  }
  return entries[entries.length - 1][0];
}

export function planFate(random: Random, shares: FateShares = DEFAULT_FATE_SHARES): CaseFate {
  const lateAccept = random() < shares.late;
  const rejectOnce = random() < shares.reject;
  // Mostly satisfied; a late case is rated lower.
  const rating = lateAccept ? randomInt(random, 2, 4) : pick(random, [3, 4, 4, 5, 5, 5]);
  return { lateAccept, rejectOnce, rating };
}

/** Milliseconds to the next filing: exponential around the mean gap (a Poisson stream), at least a tenth of it. */
export function nextFilingGapMs(random: Random, meanGapMs: number): number {
  return Math.max(meanGapMs / 10, -Math.log(1 - random()) * meanGapMs);
}

/** How many mean gaps each step waits, at least and at most. */
const STEP_GAPS = {
  dispatch: [1, 2],
  merge: [1, 2],
  accept: [1, 3],
  start: [1, 2],
  resolve: [1, 4],
  verify: [1, 3],
  close: [1, 3],
} as const;
export type CaseStep = keyof typeof STEP_GAPS;

export function stepDelayMs(random: Random, step: CaseStep, meanGapMs: number): number {
  const [min, max] = STEP_GAPS[step];
  return Math.round((min + random() * (max - min)) * meanGapMs);
}

/** A case as the simulator follows it (kept in memory, small). */
export interface TrackedCase {
  code: string;
  filer: 'grid_worker' | 'citizen' | 'enterprise' | 'machine' | 'adopted';
  /** The grid worker who filed it: they close it with their rating. */
  reporter: string | null;
  /** The public token of a citizen's or enterprise's case: its reporter rates it with it. */
  token: string | null;
  fate: CaseFate;
  /** Filed as a duplicate of this case: the operator merges it. */
  duplicateOf: string | null;
  /** The fix was sent back once already. */
  rejected: boolean;
  /** When its next step is due (epoch ms). */
  nextAt: number;
}

/** What the loop does next for a case, as whom. */
export type CaseMove =
  | { kind: 'act'; as: string; action: string; body: Record<string, unknown> }
  | { kind: 'resolve'; as: string }
  | { kind: 'rate'; token: string; rating: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'drop'; why: string };

export interface PeopleDirectory {
  operator: string;
  /** The handler of a department, if the simulation has one. */
  handler(department: string): string | null;
  /** The grid worker whose beat holds the grid, if any. */
  gridWorker(gridCode: string): string | null;
  /** Where a case goes when no rule routed it. */
  fallbackDepartment: string;
}

export interface MoveContext {
  now: number;
  meanGapMs: number;
  /** A late case waits for supervision at most this long past its deadline, then is accepted anyway. */
  maxLateMs: number;
  /** A deadline further away than this is not waited for: the case is accepted on time instead. */
  maxLateLeadMs: number;
}

type CaseFacts = Pick<CaseDetail, 'code' | 'state' | 'department' | 'gridCode' | 'acceptDueAt' | 'supervision' | 'possibleDuplicates'>;

const FINAL: readonly CaseState[] = ['closed', 'invalid', 'duplicate', 'cancelled'];

/**
 * The next move for a case in the state the API answered. A step not yet due is a `wait`; the
 * loop reads the case again when it is due, so a case someone else moved meanwhile is taken from
 * where it is now.
 */
export function nextMove(c: CaseFacts, t: TrackedCase, people: PeopleDirectory, ctx: MoveContext, random: Random): CaseMove {
  if (FINAL.includes(c.state)) return { kind: 'drop', why: `it is ${c.state}` };
  const comment = (text: string) => ({ comment: `${text}（演示 demo）` });
  switch (c.state) {
    case 'reported':
    case 'returned':
    case 'dispatched': {
      if (t.duplicateOf) {
        const target = c.possibleDuplicates.find((d) => d.case.code === t.duplicateOf) ?? c.possibleDuplicates[0];
        if (target)
          return {
            kind: 'act',
            as: people.operator,
            action: 'merge',
            body: { mergeInto: target.case.code, expectedState: c.state, ...comment('与已立案件重复，合并') },
          };
      }
      if (c.state !== 'dispatched' || !c.department) {
        return {
          kind: 'act',
          as: people.operator,
          action: 'dispatch',
          body: { department: people.fallbackDepartment, expectedState: c.state, ...comment('人工派遣') },
        };
      }
      const handler = people.handler(c.department);
      if (!handler) return { kind: 'drop', why: `no simulated handler for department ${c.department}` };
      if (t.fate.lateAccept && c.acceptDueAt) {
        const due = Date.parse(c.acceptDueAt);
        if (due - ctx.now > ctx.maxLateLeadMs) {
          // The deadline is hours away (a night, a holiday): this one is taken on time after all.
          t.fate.lateAccept = false;
        } else if (c.supervision === null && ctx.now < due + ctx.maxLateMs) {
          return { kind: 'wait', ms: Math.max(ctx.meanGapMs, due - ctx.now + ctx.meanGapMs) };
        }
      }
      return { kind: 'act', as: handler, action: 'accept', body: { expectedState: 'dispatched', ...comment('已受理') } };
    }
    case 'accepted':
    case 'in_progress': {
      const handler = c.department ? people.handler(c.department) : null;
      if (!handler) return { kind: 'drop', why: `no simulated handler for department ${c.department ?? '(none)'}` };
      if (c.state === 'accepted' && random() < 0.7)
        return { kind: 'act', as: handler, action: 'start', body: { expectedState: 'accepted', ...comment('已到场处置') } };
      return { kind: 'resolve', as: handler };
    }
    case 'resolved': {
      const worker = people.gridWorker(c.gridCode);
      if (!worker) return { kind: 'drop', why: `no simulated grid worker for grid ${c.gridCode}` };
      if (t.fate.rejectOnce && !t.rejected) {
        t.rejected = true;
        return {
          kind: 'act',
          as: worker,
          action: 'reject',
          body: { expectedState: 'resolved', reason: '现场复核：问题仍未消除（演示 demo）' },
        };
      }
      return { kind: 'act', as: worker, action: 'verify', body: { expectedState: 'resolved', ...comment('现场核查已整改') } };
    }
    case 'verified': {
      if (t.token) return { kind: 'rate', token: t.token, rating: t.fate.rating };
      if (t.reporter) return { kind: 'act', as: t.reporter, action: 'close', body: { expectedState: 'verified', rating: t.fate.rating } };
      return { kind: 'act', as: people.operator, action: 'close', body: { expectedState: 'verified', ...comment('核查通过，结案') } };
    }
    default:
      return { kind: 'drop', why: `state ${c.state}` };
  }
}

/** The step a move is, for its delay. */
export function stepOf(move: CaseMove): CaseStep {
  if (move.kind === 'resolve') return 'resolve';
  if (move.kind === 'rate') return 'close';
  if (move.kind !== 'act') return 'accept';
  switch (move.action) {
    case 'merge':
      return 'merge';
    case 'dispatch':
      return 'dispatch';
    case 'accept':
      return 'start';
    case 'start':
      return 'resolve';
    case 'reject':
      return 'resolve';
    case 'verify':
      return 'close';
    default:
      return 'verify';
  }
}

/** The 31 characters of a unified social credit code and the weights of its check character. */
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A well-formed 统一社会信用代码 of a Guangzhou company (91 4401…), its check character computed. */
export function demoCreditCode(random: Random): string {
  let body = '914401';
  while (body.length < 17) body += CREDIT_CHARS[Math.floor(random() * 10 + (body.length >= 8 ? random() * 21 : 0))];
  const sum = [...body].reduce((s, ch, i) => s + CREDIT_CHARS.indexOf(ch) * CREDIT_WEIGHTS[i], 0);
  return body + CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

/** A detection the video analysis sends: a new sighting, the same problem seen again, or a weak guess under the floor. */
export type DetectionPlan = { kind: 'new' | 'repeat' | 'weak'; confidence: number };

export function planDetection(random: Random, haveRecent: boolean): DetectionPlan {
  const x = random();
  if (haveRecent && x < 0.3) return { kind: 'repeat', confidence: round2(0.7 + random() * 0.29) };
  if (x < 0.45) return { kind: 'weak', confidence: round2(0.2 + random() * 0.35) };
  return { kind: 'new', confidence: round2(0.65 + random() * 0.34) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
