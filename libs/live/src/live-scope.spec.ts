import type { ScopedLiveEvent } from '@cityops/core';
import type { Principal } from '@cityops/identity';
import { areaChannelId, roomsFor, scopedListenerKey, scopedPayload, seesPlace } from './live-scope';

const scope = new Set([9, 90, 900, 2001]);

function principal(roots: number[] | null, department: string | null = null): Principal {
  return {
    kind: 'user',
    subject: 'u',
    username: 'u',
    displayName: 'u',
    roles: ['viewer'],
    scope: roots === null ? { cityWide: true } : { cityWide: false, roots },
    scopeViews: [],
    department,
    sessionId: 's',
    feedKey: null,
    mustChangePassword: false,
  };
}

describe('live scope', () => {
  it('reads the area id of an area channel only', () => {
    expect(areaChannelId('area:12')).toBe(12);
    expect(areaChannelId('alerts')).toBeNull();
    expect(areaChannelId('indicator:area:12')).toBeNull();
  });

  it('puts a city-wide client in every channel’s room, a scoped one only in the rooms of its own areas', () => {
    const channels = ['alerts', 'feeds', 'indicator:load', 'area:9', 'area:10'];
    expect(roomsFor(channels, null)).toEqual(channels);
    expect(roomsFor(channels, scope)).toEqual(['area:9']);
  });

  it('groups listeners by scope and department, whatever the order of their roots', () => {
    expect(scopedListenerKey(principal([10, 9]))).toBe(scopedListenerKey(principal([9, 10])));
    expect(scopedListenerKey(principal([9]))).not.toBe(scopedListenerKey(principal([9], 'water')));
    expect(scopedListenerKey(principal(null))).toBe('city|');
  });

  it.each([
    ['an item of an area in the scope', true, { areaIds: [2001] }, scope, null],
    ['an item of an area outside it', false, { areaIds: [10] }, scope, null],
    ['an item of several areas, one inside', true, { areaIds: [10, 90] }, scope, null],
    ['an item anywhere in the city, by a scope with areas', true, { areaIds: null }, scope, null],
    ['an item anywhere in the city, by an empty scope', false, { areaIds: null }, new Set<number>(), null],
    ['an item of the listener’s department outside its areas', true, { areaIds: [10], department: 'water' }, scope, 'water'],
    ['an item of another department outside its areas', false, { areaIds: [10], department: 'water' }, scope, 'roads'],
  ])('%s is heard: %s', (_, expected, place, areas, department) => {
    expect(seesPlace(place, areas, department)).toBe(expected);
  });

  it('cuts a list to the items in scope and keeps the rest of the payload', () => {
    const event: ScopedLiveEvent = {
      channel: 'indicator:load',
      event: 'indicator.values',
      payload: { indicatorKey: 'load', values: [{ areaId: 9 }, { areaId: 10 }, { areaId: 2001 }] },
      list: { key: 'values', places: [{ areaIds: [9] }, { areaIds: [10] }, { areaIds: [2001] }] },
    };
    expect(scopedPayload(event, scope, null)).toEqual({ indicatorKey: 'load', values: [{ areaId: 9 }, { areaId: 2001 }] });
    expect(scopedPayload(event, new Set([77]), null)).toEqual({ indicatorKey: 'load', values: [] });
  });

  describe('an item that moved', () => {
    // A device moved from area 10 (outside the scope) or 90 (inside) to 10, 2001 or nowhere.
    const change = { op: 'replace', id: 'd1' };
    const removal = { op: 'remove', id: 'd1' };
    it.each([
      ['from outside the scope into it: the change', [10], [2001], [change]],
      ['within the scope: the change', [90], [2001], [change]],
      ['out of the scope: its removal instead', [90], [10], [removal]],
      ['out of any area (lost its place): its removal instead', [90], [], [removal]],
      ['outside the scope all along: nothing', [10], [11], []],
      ['from nowhere to outside the scope: nothing', [], [10], []],
    ])('%s', (_, from: number[], to: number[], expected) => {
      const event: ScopedLiveEvent = {
        channel: 'layer:pumps',
        event: 'layer.delta',
        payload: { feed: 'pumps', changes: [change] },
        list: { key: 'changes', places: [{ areaIds: to }], departures: [{ from: { areaIds: from }, item: removal }] },
      };
      expect(scopedPayload(event, scope, null)).toEqual({ feed: 'pumps', changes: expected });
    });

    it('keeps the others of the list in order, and items without a departure as they were', () => {
      const event: ScopedLiveEvent = {
        channel: 'layer:pumps',
        event: 'layer.delta',
        payload: { changes: ['a', 'b', 'c'] },
        list: {
          key: 'changes',
          places: [{ areaIds: [9] }, { areaIds: [10] }, { areaIds: [10] }],
          departures: [null, { from: { areaIds: [9] }, item: 'b gone' }, null],
        },
      };
      expect(scopedPayload(event, scope, null)).toEqual({ changes: ['a', 'b gone'] });
    });
  });

  it('hands a single item whole or not at all, and an event that says where nothing lies to nobody scoped', () => {
    const alert = { change: 'fired', alert: { areaId: 90 } };
    expect(scopedPayload({ channel: 'alerts', event: 'alert.changed', payload: alert, place: { areaIds: [90] } }, scope, null)).toBe(alert);
    expect(
      scopedPayload({ channel: 'alerts', event: 'alert.changed', payload: alert, place: { areaIds: [91] } }, scope, null),
    ).toBeUndefined();
    expect(scopedPayload({ channel: 'cases', event: 'case.changed', payload: {} }, scope, null)).toBeUndefined();
  });
});
