import { MARATHON_CAPACITIES, MARATHON_COURSE } from './marathon-course';
import { apportion, createRandom, DEFAULT_DEMO_SEED, randomNormal, type Random } from './seeded-random';

export const DEFAULT_RACE_RUNNERS = 20_000;

const WAVE_COUNT = 5;
/** Gun times of consecutive waves, race time. */
const WAVE_GAP_SECONDS = 5 * 60;
/** How long a wave of ~4,000 takes to shuffle over the start mats. */
const WAVE_CROSSING_SECONDS = 4 * 60;
const FASTEST_FINISH_SECONDS = (2 * 60 + 10) * 60;
const SLOWEST_FINISH_SECONDS = (6 * 60 + 30) * 60;
/** Mass-race finish times: log-normal around 4h25, as in a typical big-city marathon field. */
const MEDIAN_FINISH_SECONDS = (4 * 60 + 25) * 60;
const FINISH_LOG_SPREAD = 0.17;
/** A small elite field between 2h10 and 2h35. */
const ELITE_SHARE = 0.002;
const ELITE_SLOWEST_SECONDS = (2 * 60 + 35) * 60;

/** One race, gun to last finisher plus a minute; then the next race starts so the demo never goes quiet. */
export const RACE_CYCLE_SECONDS = (WAVE_COUNT - 1) * WAVE_GAP_SECONDS + WAVE_CROSSING_SECONDS + SLOWEST_FINISH_SECONDS + 60;
/** Wall-clock length of one race with the default speed-up. */
export const DEFAULT_RACE_WALL_SECONDS = 20 * 60;
export const DEFAULT_RACE_SPEEDUP = RACE_CYCLE_SECONDS / DEFAULT_RACE_WALL_SECONDS;

/** Surges are wall-clock events: they must look the same on the dashboard at any speed-up. */
const SURGE_RAMP_SECONDS = 10;
const SURGE_EASE_SECONDS = 30;
const FIRST_SURGE_SECONDS: readonly [number, number] = [60, 150];
/** Longer than the longest surge (10 + 90 + 30 s), so automatic surges never overlap. */
const SURGE_GAP_SECONDS: readonly [number, number] = [180, 240];
const SURGE_RETRY_SECONDS = 30;
const SURGE_PEAK_RATIO: readonly [number, number] = [1.05, 1.3];
const SURGE_HOLD_SECONDS: readonly [number, number] = [60, 90];
/** Keeps the hold visibly alive without dipping under capacity (peaks are at least 1.05). */
const SURGE_WOBBLE = 0.02;
const DEFAULT_FORCED_PEAK_RATIO = 1.2;
const DEFAULT_FORCED_HOLD_SECONDS = 75;
/** At most this share of a zone's runners is drawn into a surge elsewhere. */
const MAX_DONOR_SHARE = 0.5;
/** Auto surges go where people already are: at least this share of capacity. */
const SURGE_MIN_BASE_RATIO = 0.2;

export interface MarathonRaceOptions {
  /** Default 20,000; capacities are sized for that many. */
  runners?: number;
  seed?: number;
  /** Wall-clock time of the first gun. */
  startedAt: Date;
  /** Race seconds per wall-clock second; the default runs a whole race in 20 minutes. */
  speedup?: number;
  /** Default true; false gives the undisturbed flow (used to size capacities). */
  autoSurges?: boolean;
}

export interface SegmentHeadcount {
  code: string;
  headcount: number;
}

export interface SurgeOptions {
  /** Headcount at the peak as a share of capacity; default 1.2. */
  peakRatio?: number;
  /** Seconds spent at the peak; default 75. */
  holdSeconds?: number;
}

export interface MarathonSurge {
  code: string;
  startsAt: Date;
  /** When the headcount is back to normal flow. */
  endsAt: Date;
  peakRatio: number;
  holdSeconds: number;
  forced: boolean;
}

export interface MarathonRace {
  readonly runners: number;
  readonly seed: number;
  readonly startedAt: Date;
  readonly speedup: number;
  /** Race time since the gun of the current race, in seconds (loops every `RACE_CYCLE_SECONDS`). */
  raceSeconds(now: Date): number;
  /** People in each zone at `now`, in course order (GZM-01 first); integers ≥ 0. */
  headcounts(now: Date): SegmentHeadcount[];
  /** Starts a surge on `code` at `now` (for tests and the admin's "drill" button). */
  forceSurge(code: string, now: Date, options?: SurgeOptions): MarathonSurge;
  /** Surges under way at `now`, automatic and forced. */
  activeSurges(now: Date): MarathonSurge[];
}

interface Field {
  /** Race second at which each runner crosses the start line. */
  startSeconds: Float64Array;
  /** Each runner's net finish time in seconds; pace is even. */
  finishSeconds: Float64Array;
}

const SEGMENTS = MARATHON_COURSE.segments;
const SEGMENT_CODES = SEGMENTS.map((s) => s.code);
/** Zone boundaries as fractions of the course, so a runner's zone is a search on t / finish. */
const BOUNDARIES = SEGMENTS.slice(1).map((s) => s.startKm / MARATHON_COURSE.lengthKm);

function between(random: Random, [min, max]: readonly [number, number]): number {
  return min + random() * (max - min);
}

function finishTime(random: Random, elite: boolean): number {
  if (elite) return between(random, [FASTEST_FINISH_SECONDS, ELITE_SLOWEST_SECONDS]);
  for (;;) {
    const t = MEDIAN_FINISH_SECONDS * Math.exp(FINISH_LOG_SPREAD * randomNormal(random));
    if (t >= FASTEST_FINISH_SECONDS && t <= SLOWEST_FINISH_SECONDS) return t;
  }
}

/** Seeds the field: waves by expected finish time (fast runners in front), as race organisers do. */
function createField(runners: number, seed: number): Field {
  const random = createRandom(seed, 'marathon-runners');
  const elites = Math.round(runners * ELITE_SHARE);
  const finish = Array.from({ length: runners }, (_, i) => finishTime(random, i < elites)).sort((a, b) => a - b);
  const startSeconds = new Float64Array(runners);
  const finishSeconds = new Float64Array(runners);
  const waveSize = runners / WAVE_COUNT;
  for (let i = 0; i < runners; i++) {
    const wave = Math.min(WAVE_COUNT - 1, Math.floor(i / waveSize));
    const placeInWave = (i - wave * waveSize) / waveSize;
    startSeconds[i] = wave * WAVE_GAP_SECONDS + placeInWave * WAVE_CROSSING_SECONDS;
    finishSeconds[i] = finish[i];
  }
  return { startSeconds, finishSeconds };
}

function segmentOf(fraction: number): number {
  let lo = 0;
  let hi = BOUNDARIES.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fraction >= BOUNDARIES[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function baseCounts(field: Field, raceSecond: number): number[] {
  const counts = new Array<number>(SEGMENTS.length).fill(0);
  const { startSeconds, finishSeconds } = field;
  for (let i = 0; i < startSeconds.length; i++) {
    const elapsed = raceSecond - startSeconds[i];
    if (elapsed < 0 || elapsed >= finishSeconds[i]) continue;
    counts[segmentOf(elapsed / finishSeconds[i])] += 1;
  }
  return counts;
}

/**
 * The exact peak headcount of each zone over one undisturbed race (a sweep over the runners'
 * entry and exit times). This is what `MARATHON_CAPACITIES` is derived from.
 */
export function computePeakHeadcounts(runners = DEFAULT_RACE_RUNNERS, seed = DEFAULT_DEMO_SEED): number[] {
  const { startSeconds, finishSeconds } = createField(runners, seed);
  return SEGMENTS.map((segment) => {
    const from = segment.startKm / MARATHON_COURSE.lengthKm;
    const to = segment.endKm / MARATHON_COURSE.lengthKm;
    const events: [number, number][] = [];
    for (let i = 0; i < runners; i++) {
      events.push([startSeconds[i] + finishSeconds[i] * from, 1]);
      events.push([startSeconds[i] + finishSeconds[i] * to, -1]);
    }
    // Leaving before entering at the same instant: a runner is in one zone at a time.
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let peak = 0;
    for (const [, delta] of events) {
      current += delta;
      peak = Math.max(peak, current);
    }
    return peak;
  });
}

/** The held peak breathes in a slow triangle wave (people pushing in and being let through). */
function heldRatio(surge: MarathonSurge, secondsIntoHold: number): number {
  const phase = (secondsIntoHold / 20) % 1;
  return surge.peakRatio * (1 + SURGE_WOBBLE * (Math.abs(2 * phase - 1) * 2 - 1));
}

/** Share of capacity a surge asks for `seconds` after it started, or undefined once it is over. */
function surgeRatio(surge: MarathonSurge, seconds: number, baseRatio: number): number | undefined {
  const easeFrom = SURGE_RAMP_SECONDS + surge.holdSeconds;
  if (seconds < 0 || seconds >= easeFrom + SURGE_EASE_SECONDS) return undefined;
  if (seconds < SURGE_RAMP_SECONDS) {
    return baseRatio + ((heldRatio(surge, 0) - baseRatio) * seconds) / SURGE_RAMP_SECONDS;
  }
  if (seconds < easeFrom) return heldRatio(surge, seconds - SURGE_RAMP_SECONDS);
  const peak = heldRatio(surge, surge.holdSeconds);
  return peak + ((baseRatio - peak) * (seconds - easeFrom)) / SURGE_EASE_SECONDS;
}

/** People a surge on zone `k` can draw on: its own, those off the course, and the others' loans. */
function reachable(counts: readonly number[], k: number, offCourse: number, lenders: (i: number) => boolean): number {
  let sum = counts[k] + offCourse;
  for (let i = 0; i < counts.length; i++) if (i !== k && lenders(i)) sum += Math.floor(counts[i] * MAX_DONOR_SHARE);
  return sum;
}

function surgeDurationMs(holdSeconds: number): number {
  return (SURGE_RAMP_SECONDS + holdSeconds + SURGE_EASE_SECONDS) * 1000;
}

/**
 * A looping simulated marathon whose zone headcounts look like those of a real counting
 * system: waves leave the start, the field strings out along the course, and every few minutes
 * a bottleneck makes one zone overflow for a minute or so. Deterministic: the same options and
 * forced surges give the same headcounts for the same instants, whatever the order of calls.
 */
export function createMarathonRace(options: MarathonRaceOptions): MarathonRace {
  const runners = options.runners ?? DEFAULT_RACE_RUNNERS;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const speedup = options.speedup ?? DEFAULT_RACE_SPEEDUP;
  const startedAt = new Date(options.startedAt.getTime());
  if (!Number.isInteger(runners) || runners < 1) throw new RangeError('runners must be a positive integer');
  if (!(speedup > 0)) throw new RangeError('speedup must be positive');
  const field = createField(runners, seed);
  const autoSurges = options.autoSurges ?? true;
  const scheduleRandom = createRandom(seed, 'marathon-surges');
  const scheduled: MarathonSurge[] = [];
  let nextSurgeMs = startedAt.getTime() + between(scheduleRandom, FIRST_SURGE_SECONDS) * 1000;
  const forced: MarathonSurge[] = [];

  const raceSeconds = (now: Date): number => {
    const elapsed = ((now.getTime() - startedAt.getTime()) / 1000) * speedup;
    return ((elapsed % RACE_CYCLE_SECONDS) + RACE_CYCLE_SECONDS) % RACE_CYCLE_SECONDS;
  };
  const base = (now: Date): number[] => baseCounts(field, raceSeconds(now));

  /** Draws surges in time order, so each one's zone depends only on the seed and its instant. */
  const scheduleUntil = (nowMs: number): void => {
    while (nextSurgeMs <= nowMs) {
      const at = new Date(nextSurgeMs);
      const peakRatio = between(scheduleRandom, SURGE_PEAK_RATIO);
      const holdSeconds = Math.round(between(scheduleRandom, SURGE_HOLD_SECONDS));
      const pick = scheduleRandom();
      const gapMs = between(scheduleRandom, SURGE_GAP_SECONDS) * 1000;
      // No zone fit (see below): try again shortly rather than leave the demo quiet for minutes.
      nextSurgeMs += SURGE_RETRY_SECONDS * 1000;
      // A jam outliving its race would hang over an empty course after the restart.
      const raceLeft = (RACE_CYCLE_SECONDS - raceSeconds(at)) / speedup;
      if (raceLeft * 1000 <= surgeDurationMs(holdSeconds)) continue;
      const counts = base(at);
      // Only where enough people stay within reach to keep the zone over capacity all through
      // the hold, although the race itself moves on by half an hour meanwhile.
      const checks = Array.from({ length: Math.ceil(holdSeconds / 10) + 2 }, (_, n) => {
        const c = base(new Date(at.getTime() + Math.min(n * 10, SURGE_RAMP_SECONDS + holdSeconds) * 1000));
        return { counts: c, offCourse: runners - c.reduce((a, b) => a + b, 0) };
      });
      const feasible = (i: number) =>
        checks.every(
          (c) => reachable(c.counts, i, c.offCourse, () => true) >= Math.ceil(peakRatio * (1 + SURGE_WOBBLE) * MARATHON_CAPACITIES[i]),
        );
      let candidates = counts.map((_, i) => i).filter((i) => counts[i] >= SURGE_MIN_BASE_RATIO * MARATHON_CAPACITIES[i] && feasible(i));
      if (candidates.length === 0) candidates = counts.map((_, i) => i).filter((i) => counts[i] > 0 && feasible(i));
      if (candidates.length === 0) continue;
      const index = candidates[Math.min(candidates.length - 1, Math.floor(pick * candidates.length))];
      nextSurgeMs = at.getTime() + gapMs;
      scheduled.push({
        code: SEGMENT_CODES[index],
        startsAt: at,
        endsAt: new Date(at.getTime() + surgeDurationMs(holdSeconds)),
        peakRatio,
        holdSeconds,
        forced: false,
      });
    }
  };

  const activeSurges = (now: Date): MarathonSurge[] => {
    const t = now.getTime();
    const active: MarathonSurge[] = [];
    if (autoSurges && t >= startedAt.getTime()) {
      scheduleUntil(t);
      // Surges are shorter than the gaps between them: only the last one begun by `t` can be on.
      let lo = 0;
      let hi = scheduled.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (scheduled[mid].startsAt.getTime() <= t) lo = mid + 1;
        else hi = mid;
      }
      const latest = scheduled[lo - 1];
      if (latest && t < latest.endsAt.getTime()) active.push(latest);
    }
    for (const surge of forced) if (surge.startsAt.getTime() <= t && t < surge.endsAt.getTime()) active.push(surge);
    return active.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  };

  const headcounts = (now: Date): SegmentHeadcount[] => {
    const counts = base(now);
    const surges = activeSurges(now);
    const surging = new Set(surges.map((s) => SEGMENT_CODES.indexOf(s.code)));
    let offCourse = runners - counts.reduce((a, b) => a + b, 0);
    for (const surge of surges) {
      const k = SEGMENT_CODES.indexOf(surge.code);
      const capacity = MARATHON_CAPACITIES[k];
      const ratio = surgeRatio(surge, (now.getTime() - surge.startsAt.getTime()) / 1000, counts[k] / capacity);
      if (ratio === undefined) continue;
      let missing = Math.max(0, Math.round(ratio * capacity) - counts[k]);
      // The crowd comes first from people off the course (a start pen, finishers walking back),
      // then every other zone lends a share of its runners to the jam: the total never exceeds
      // the field, and no zone empties out to feed the surge.
      const fromOff = Math.min(missing, offCourse);
      offCourse -= fromOff;
      counts[k] += fromOff;
      missing -= fromOff;
      if (missing <= 0) continue;
      const donors = counts.map((_, i) => i).filter((i) => i !== k && !surging.has(i) && counts[i] > 0);
      const lendable = reachable(counts, k, 0, (i) => donors.includes(i)) - counts[k];
      const taken = apportion(
        Math.min(missing, lendable),
        donors.map((i) => counts[i]),
      );
      donors.forEach((i, d) => {
        const t = Math.min(taken[d], counts[i]);
        counts[i] -= t;
        counts[k] += t;
      });
    }
    return counts.map((headcount, i) => ({ code: SEGMENT_CODES[i], headcount }));
  };

  const forceSurge = (code: string, now: Date, surgeOptions: SurgeOptions = {}): MarathonSurge => {
    if (!SEGMENT_CODES.includes(code)) throw new RangeError(`unknown marathon zone ${code}`);
    const peakRatio = surgeOptions.peakRatio ?? DEFAULT_FORCED_PEAK_RATIO;
    const holdSeconds = surgeOptions.holdSeconds ?? DEFAULT_FORCED_HOLD_SECONDS;
    if (!(peakRatio > 0 && peakRatio <= 3)) throw new RangeError('peakRatio must be in (0, 3]');
    if (!(holdSeconds >= 0 && holdSeconds <= 3600)) throw new RangeError('holdSeconds must be in [0, 3600]');
    const startsAt = new Date(now.getTime());
    const surge: MarathonSurge = {
      code,
      startsAt,
      endsAt: new Date(startsAt.getTime() + surgeDurationMs(holdSeconds)),
      peakRatio,
      holdSeconds,
      forced: true,
    };
    forced.push(surge);
    // Forget forced surges long over, so an admin pressing the button all week costs nothing.
    const horizon = now.getTime() - 3600_000;
    for (let i = forced.length - 1; i >= 0; i--) if (forced[i].endsAt.getTime() < horizon) forced.splice(i, 1);
    return surge;
  };

  // Callers get copies: a Date changed outside must not shift the race.
  const copy = (surge: MarathonSurge): MarathonSurge => ({
    ...surge,
    startsAt: new Date(surge.startsAt.getTime()),
    endsAt: new Date(surge.endsAt.getTime()),
  });
  return {
    runners,
    seed,
    startedAt: new Date(startedAt.getTime()),
    speedup,
    raceSeconds,
    headcounts,
    forceSurge: (code, now, surgeOptions) => copy(forceSurge(code, now, surgeOptions)),
    activeSurges: (now) => activeSurges(now).map(copy),
  };
}
