import { isCreditCode, type CaseDetail } from '@cityops/contracts';
import { createRandom } from '../seeded-random';
import {
  demoCreditCode,
  FILER_WEIGHTS,
  nextFilingGapMs,
  nextMove,
  pickWeighted,
  planDetection,
  planFate,
  stepDelayMs,
  type CaseFate,
  type PeopleDirectory,
  type TrackedCase,
} from './case-plan';

const people: PeopleDirectory = {
  operator: 'op',
  handler: (d) => (d === 'housing' ? 'h-housing' : null),
  gridWorker: (g) => (g.startsWith('440106001') ? 'gw-1' : null),
  fallbackDepartment: 'urban-management',
};
const NOW = Date.parse('2026-11-30T10:00:00Z');
const GAP = 60_000;
const ctx = { now: NOW, meanGapMs: GAP, maxLateMs: 30 * GAP, maxLateLeadMs: 240 * GAP };
const onTime: CaseFate = { lateAccept: false, rejectOnce: false, rating: 5 };

type Facts = Parameters<typeof nextMove>[0];
const facts = (over: Partial<Facts> = {}): Facts => ({
  code: 'GZ-TH-20261130-0001',
  state: 'dispatched',
  department: 'housing',
  gridCode: '440106001001001',
  acceptDueAt: new Date(NOW + 3600_000).toISOString(),
  supervision: null,
  possibleDuplicates: [],
  ...over,
});
const tracked = (over: Partial<TrackedCase> = {}): TrackedCase => ({
  code: 'GZ-TH-20261130-0001',
  filer: 'grid_worker',
  reporter: 'gw-1',
  token: null,
  fate: { ...onTime },
  duplicateOf: null,
  rejected: false,
  nextAt: NOW,
  ...over,
});
const random = () => createRandom(42, 'plan');

describe('the simulated case stream', () => {
  it('files from every source in about the shares it is given, the same for the same seed', () => {
    const draw = (seed: number) => {
      const r = createRandom(seed, 'filers');
      return Array.from({ length: 2000 }, () => pickWeighted(r, FILER_WEIGHTS));
    };
    const drawn = draw(1);
    expect(draw(1)).toEqual(drawn);
    for (const [filer, weight] of Object.entries(FILER_WEIGHTS)) {
      const share = drawn.filter((f) => f === filer).length / drawn.length;
      expect(Math.abs(share - weight)).toBeLessThan(0.04);
    }
  });

  it('spaces filings around the mean gap (a Poisson stream), never closer than a tenth of it', () => {
    const r = random();
    const gaps = Array.from({ length: 3000 }, () => nextFilingGapMs(r, GAP));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean / GAP).toBeGreaterThan(0.9);
    expect(mean / GAP).toBeLessThan(1.15);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(GAP / 10);
  });

  it('scales every step with the pace: twice the cases an hour, half the wait', () => {
    expect(Math.abs(stepDelayMs(createRandom(3), 'accept', GAP) - 2 * stepDelayMs(createRandom(3), 'accept', GAP / 2))).toBeLessThanOrEqual(
      1,
    );
    const r = random();
    for (let i = 0; i < 200; i++) {
      const d = stepDelayMs(r, 'resolve', GAP);
      expect(d).toBeGreaterThanOrEqual(GAP);
      expect(d).toBeLessThanOrEqual(4 * GAP);
    }
  });

  it('makes some cases late and some fixes rejected, rating late ones lower', () => {
    const r = random();
    const fates = Array.from({ length: 2000 }, () => planFate(r, { late: 0.2, reject: 0.1 }));
    expect(fates.filter((f) => f.lateAccept).length / fates.length).toBeCloseTo(0.2, 1);
    expect(fates.filter((f) => f.rejectOnce).length / fates.length).toBeCloseTo(0.1, 1);
    expect(fates.every((f) => f.rating >= 1 && f.rating <= 5)).toBe(true);
    expect(fates.filter((f) => f.lateAccept).every((f) => f.rating <= 4)).toBe(true);
  });

  it('gives enterprises well-formed credit codes', () => {
    const r = random();
    for (let i = 0; i < 100; i++) expect(isCreditCode(demoCreditCode(r))).toBe(true);
  });

  it('repeats a sighting only when there is one, and sends weak ones under the floor', () => {
    const r = random();
    const plans = Array.from({ length: 1000 }, () => planDetection(r, true));
    expect(plans.some((p) => p.kind === 'repeat')).toBe(true);
    expect(plans.filter((p) => p.kind === 'weak').every((p) => p.confidence < 0.6)).toBe(true);
    expect(plans.filter((p) => p.kind !== 'weak').every((p) => p.confidence >= 0.65)).toBe(true);
    expect(Array.from({ length: 200 }, () => planDetection(r, false)).some((p) => p.kind === 'repeat')).toBe(false);
  });
});

describe('the next move of a simulated case', () => {
  it.each<[string, Partial<Facts>, Partial<TrackedCase>, object]>([
    ['the operator dispatches what no rule routed', { state: 'reported', department: null }, {}, { as: 'op', action: 'dispatch' }],
    ['the handler of its department accepts it', {}, {}, { as: 'h-housing', action: 'accept' }],
    [
      'the operator merges a duplicate into the case it repeats',
      {
        possibleDuplicates: [
          { case: { code: 'GZ-TH-20261130-0000' } as CaseDetail['possibleDuplicates'][number]['case'], distanceMeters: 12 },
        ],
      },
      { duplicateOf: 'GZ-TH-20261130-0000' },
      { as: 'op', action: 'merge', body: { mergeInto: 'GZ-TH-20261130-0000' } },
    ],
    ['the grid worker of its street verifies the fix', { state: 'resolved' }, {}, { as: 'gw-1', action: 'verify' }],
    [
      'the grid worker sends a fix back once, with a reason',
      { state: 'resolved' },
      { fate: { ...onTime, rejectOnce: true } },
      { as: 'gw-1', action: 'reject', body: { reason: '现场复核：问题仍未消除（演示 demo）' } },
    ],
    [
      'the grid worker who filed it closes it with a rating',
      { state: 'verified' },
      {},
      { as: 'gw-1', action: 'close', body: { rating: 5 } },
    ],
    [
      'the operator closes a machine-filed case',
      { state: 'verified' },
      { filer: 'machine', reporter: null },
      { as: 'op', action: 'close' },
    ],
  ])('%s', (_name, c, t, expected) => {
    expect(nextMove(facts(c), tracked(t), people, ctx, random())).toMatchObject({ kind: 'act', ...expected });
  });

  it('has a citizen rate the case with its token', () => {
    expect(
      nextMove(facts({ state: 'verified' }), tracked({ filer: 'citizen', reporter: null, token: 'tok' }), people, ctx, random()),
    ).toEqual({
      kind: 'rate',
      token: 'tok',
      rating: 5,
    });
  });

  it('resolves with a photo, starting the work first most of the time', () => {
    const r = random();
    const moves = Array.from({ length: 100 }, () => nextMove(facts({ state: 'accepted' }), tracked(), people, ctx, r));
    expect(moves.some((m) => m.kind === 'act' && m.action === 'start')).toBe(true);
    expect(moves.some((m) => m.kind === 'resolve')).toBe(true);
    expect(nextMove(facts({ state: 'in_progress' }), tracked(), people, ctx, r)).toEqual({ kind: 'resolve', as: 'h-housing' });
  });

  it('holds a late case until its deadline has passed and supervision began, then accepts it', () => {
    const late = tracked({ fate: { ...onTime, lateAccept: true } });
    const due = NOW + 10 * GAP;
    const waiting = nextMove(facts({ acceptDueAt: new Date(due).toISOString() }), late, people, ctx, random());
    expect(waiting).toEqual({ kind: 'wait', ms: due - NOW + GAP });
    const pastDue = { ...ctx, now: due + GAP };
    expect(nextMove(facts({ acceptDueAt: new Date(due).toISOString() }), late, people, pastDue, random())).toMatchObject({ kind: 'wait' });
    const supervised = facts({ acceptDueAt: new Date(due).toISOString(), supervision: { level: 1 } as Facts['supervision'] });
    expect(nextMove(supervised, late, people, pastDue, random())).toMatchObject({ kind: 'act', action: 'accept' });
    // Supervision never came (no worker?): accepted anyway once the wait is over.
    const tooLong = { ...ctx, now: due + ctx.maxLateMs + 1 };
    expect(nextMove(facts({ acceptDueAt: new Date(due).toISOString() }), late, people, tooLong, random())).toMatchObject({
      action: 'accept',
    });
  });

  it('does not hold a case for a deadline hours away (a night, a holiday): it is accepted on time', () => {
    const late = tracked({ fate: { ...onTime, lateAccept: true } });
    const far = facts({ acceptDueAt: new Date(NOW + ctx.maxLateLeadMs + 1).toISOString() });
    expect(nextMove(far, late, people, ctx, random())).toMatchObject({ kind: 'act', action: 'accept' });
    expect(late.fate.lateAccept).toBe(false);
  });

  it('lets go of cases that are over, or that none of its people may act on', () => {
    expect(nextMove(facts({ state: 'closed' }), tracked(), people, ctx, random())).toMatchObject({ kind: 'drop' });
    expect(nextMove(facts({ department: 'water' }), tracked(), people, ctx, random())).toMatchObject({ kind: 'drop' });
    expect(nextMove(facts({ state: 'resolved', gridCode: '440105001001001' }), tracked(), people, ctx, random())).toMatchObject({
      kind: 'drop',
    });
  });
});
