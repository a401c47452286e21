import { describe, expect, it } from '@jest/globals';
import type { SilenceView } from '@cityops/contracts';
import {
  cityTimeInput,
  EMPTY_SILENCE_FORM,
  groupSilences,
  mayEnd,
  phaseOf,
  plannedEnd,
  silenceRequest,
  themeChoices,
  type SilenceContext,
  type SilenceFormValues,
} from './silence-form';

/** 2026-11-29 10:00 in Guangzhou. */
const NOW = Date.parse('2026-11-29T10:00:00+08:00');
const MIN = 60_000;
const AREAS: Record<string, number> = { '440106': 6, '440106001': 61 };
const cityWide: SilenceContext = { now: NOW, areaIdOf: (code) => AREAS[code], cityWide: true };
const scoped: SilenceContext = { ...cityWide, cityWide: false };
const form = (patch: Partial<SilenceFormValues>): SilenceFormValues => ({ ...EMPTY_SILENCE_FORM, reason: '封路施工', ...patch });

function silence(patch: Partial<SilenceView>): SilenceView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    indicatorKey: 'crowd.load',
    areaId: 6,
    areaCode: '440106',
    theme: null,
    startsAt: new Date(NOW - 10 * MIN).toISOString(),
    endsAt: new Date(NOW + 50 * MIN).toISOString(),
    reason: '封路施工',
    createdBy: 'duty.operator',
    createdAt: new Date(NOW - 10 * MIN).toISOString(),
    expiredAt: null,
    active: true,
    ...patch,
  };
}

describe('silenceRequest', () => {
  it('silences an indicator in an area from now for the preset, leaving the start to the server', () => {
    expect(silenceRequest(form({ indicatorKey: 'crowd.load', areaCode: '440106', duration: '30m' }), cityWide)).toEqual({
      ok: true,
      request: { indicatorKey: 'crowd.load', areaId: 6, endsAt: new Date(NOW + 30 * MIN).toISOString(), reason: '封路施工' },
    });
  });

  it('counts a preset from a later start typed in Guangzhou time, whatever the machine’s zone', () => {
    const check = silenceRequest(form({ theme: 'traffic', start: '2026-11-29T14:00', duration: '4h' }), cityWide);
    expect(check).toEqual({
      ok: true,
      request: {
        theme: 'traffic',
        startsAt: '2026-11-29T06:00:00.000Z',
        endsAt: '2026-11-29T10:00:00.000Z',
        reason: '封路施工',
      },
    });
  });

  it('takes a custom end, and refuses one before the start, one already past or one missing', () => {
    const until = (end: string, start = '') => silenceRequest(form({ theme: 'water', duration: 'custom', end, start }), cityWide);
    expect(until('2026-11-29T18:30')).toMatchObject({ ok: true, request: { endsAt: '2026-11-29T10:30:00.000Z' } });
    expect(until('2026-11-29T13:00', '2026-11-29T14:00')).toEqual({ ok: false, problems: { endsAt: ['silenceEndBeforeStart'] } });
    expect(until('2026-11-29T09:00', '2026-11-29T08:00')).toEqual({ ok: false, problems: { endsAt: ['silenceEndPassed'] } });
    expect(until('')).toEqual({ ok: false, problems: { endsAt: ['srvRequired'] } });
    expect(until('2026-02-30T10:00')).toEqual({ ok: false, problems: { endsAt: ['silenceBadTime'] } });
  });

  it('needs something to match and a reason, naming the fields', () => {
    expect(silenceRequest(form({ reason: '  ' }), cityWide)).toEqual({
      ok: false,
      problems: { indicatorKey: ['silenceNeedsTarget'], reason: ['srvRequired'] },
    });
  });

  it('asks someone scoped to part of the city for an area of theirs, and refuses an area it does not know', () => {
    expect(silenceRequest(form({ indicatorKey: 'crowd.load' }), scoped)).toEqual({
      ok: false,
      problems: { areaId: ['silenceAreaForScope'] },
    });
    expect(silenceRequest(form({ areaCode: '440106001' }), scoped)).toMatchObject({ ok: true, request: { areaId: 61 } });
    expect(silenceRequest(form({ areaCode: '999999' }), scoped)).toEqual({ ok: false, problems: { areaId: ['silenceUnknownArea'] } });
  });

  it('shows the end a preset gives, and none for a custom end not typed yet', () => {
    expect(plannedEnd(form({ duration: '1h' }), NOW)).toBe(NOW + 60 * MIN);
    expect(plannedEnd(form({ duration: 'custom', end: '' }), NOW)).toBeNull();
    expect(cityTimeInput(NOW + 60 * MIN)).toBe('2026-11-29T11:00');
  });
});

describe('the silences list', () => {
  it('groups silences in effect (ending soonest first), to come (starting soonest first) and ended (latest first)', () => {
    const list = [
      silence({ id: 'late-end', endsAt: new Date(NOW + 90 * MIN).toISOString() }),
      silence({ id: 'soon-end', endsAt: new Date(NOW + 5 * MIN).toISOString() }),
      silence({
        id: 'tomorrow',
        startsAt: new Date(NOW + 24 * 60 * MIN).toISOString(),
        endsAt: new Date(NOW + 25 * 60 * MIN).toISOString(),
        active: false,
      }),
      // Begun by the server's clock, though this one is a second behind.
      silence({ id: 'just-made', startsAt: new Date(NOW + 1_000).toISOString(), endsAt: new Date(NOW + 120 * MIN).toISOString() }),
      silence({ id: 'ended-early', expiredAt: new Date(NOW - 2 * MIN).toISOString(), active: false }),
      silence({ id: 'ran-out', endsAt: new Date(NOW - 30 * MIN).toISOString(), active: false }),
    ];
    const groups = groupSilences(list, NOW);
    expect(groups.active.map((s) => s.id)).toEqual(['soon-end', 'late-end', 'just-made']);
    expect(groups.upcoming.map((s) => s.id)).toEqual(['tomorrow']);
    expect(groups.ended.map((s) => s.id)).toEqual(['ended-early', 'ran-out']);
    // At its end a silence is over, though the list was read when it was still in effect.
    expect(phaseOf(list[1], NOW + 5 * MIN)).toBe('ended');
  });

  it('offers to end a silence that is not over to a city-wide person, and to a scoped one only on an area it can read', () => {
    expect(mayEnd(silence({}), NOW, true, false)).toBe(true);
    expect(mayEnd(silence({ areaId: null, areaCode: null }), NOW, false, false)).toBe(false);
    expect(mayEnd(silence({}), NOW, false, false)).toBe(false);
    expect(mayEnd(silence({}), NOW, false, true)).toBe(true);
    expect(mayEnd(silence({ expiredAt: new Date(NOW).toISOString() }), NOW, true, true)).toBe(false);
  });

  it('offers the labelled themes, then the other ones indicators use, then the one chosen', () => {
    expect(themeChoices(['crowd', 'traffic'], ['traffic', 'flood-ops', 'crowd'], 'odd')).toEqual(['crowd', 'traffic', 'flood-ops', 'odd']);
    expect(themeChoices(['crowd'], [], '')).toEqual(['crowd']);
  });
});
