import { describe, expect, it } from '@jest/globals';
import type { LiveFeature, LiveLayerChange } from '@cityops/contracts';
import { applyLiveChanges, readingsOf, storeOf } from './live-layer-store';

const T0 = '2026-11-30T08:00:00.000Z';
const T1 = '2026-11-30T08:01:00.000Z';
const T2 = '2026-11-30T08:02:00.000Z';

function sensor(id: string, at: [number, number], properties: Record<string, unknown>): LiveFeature {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: at }, properties: { id, ...properties } };
}

const station = sensor('aq-1', [113.3, 23.1], {
  name: '天河站',
  ts: T1,
  area: 'g1',
  'value:aqi': 80,
  'ts:aqi': T1,
  'value:pm25': 30,
  'ts:pm25': T0,
});

describe('a live layer applying socket deltas', () => {
  it('adds an entity it did not hold', () => {
    const store = storeOf([]);
    expect(applyLiveChanges(store, [{ op: 'merge', feature: station }])).toBe(true);
    expect(store.get('aq-1')).toEqual(station);
  });

  it('merges a newer reading: the metric’s value and time, the place and the time of the entity', () => {
    const store = storeOf([station]);
    const moved = sensor('aq-1', [113.4, 23.2], { name: null, ts: T2, area: 'g2', 'value:aqi': 95, 'ts:aqi': T2 });
    expect(applyLiveChanges(store, [{ op: 'merge', feature: moved }])).toBe(true);
    expect(store.get('aq-1')).toEqual(
      sensor('aq-1', [113.4, 23.2], { name: '天河站', ts: T2, area: 'g2', 'value:aqi': 95, 'ts:aqi': T2, 'value:pm25': 30, 'ts:pm25': T0 }),
    );
  });

  it('keeps a metric whose held reading is newer, and the place of the newest reading', () => {
    const store = storeOf([station]);
    const late = sensor('aq-1', [113.9, 23.9], {
      name: null,
      ts: T0,
      area: 'g9',
      'value:aqi': 10,
      'ts:aqi': T0,
      'value:pm25': 35,
      'ts:pm25': T0,
    });
    applyLiveChanges(store, [{ op: 'merge', feature: late }]);
    const held = store.get('aq-1');
    expect(held?.geometry).toEqual(station.geometry);
    expect(held?.properties).toMatchObject({ ts: T1, area: 'g1', 'value:aqi': 80, 'value:pm25': 35 });
  });

  it('replaces an entity feed’s state when it is at least as new, and drops an older one', () => {
    const camera = sensor('cam-1', [113.3, 23.1], { ts: T1, status: 'online' });
    const store = storeOf([camera]);
    const older: LiveLayerChange = { op: 'replace', feature: sensor('cam-1', [113.5, 23.5], { ts: T0, status: 'fault' }) };
    const newer: LiveLayerChange = { op: 'replace', feature: sensor('cam-1', [113.3, 23.1], { ts: T2, status: 'offline' }) };
    expect(applyLiveChanges(store, [older])).toBe(false);
    expect(store.get('cam-1')?.properties.status).toBe('online');
    expect(applyLiveChanges(store, [newer])).toBe(true);
    expect(store.get('cam-1')?.properties).toEqual({ id: 'cam-1', ts: T2, status: 'offline' });
  });

  it('removes an entity that lost its place, and says nothing changed when it held none', () => {
    const store = storeOf([station]);
    expect(applyLiveChanges(store, [{ op: 'remove', id: 'aq-1' }])).toBe(true);
    expect(store.size).toBe(0);
    expect(applyLiveChanges(store, [{ op: 'remove', id: 'aq-1' }])).toBe(false);
  });

  it('ends the same whatever the order of a snapshot and a delta that crossed it', () => {
    const delta: LiveLayerChange[] = [{ op: 'merge', feature: sensor('aq-1', [113.4, 23.2], { ts: T2, 'value:aqi': 95, 'ts:aqi': T2 }) }];
    const snapshotThenDelta = storeOf([station]);
    applyLiveChanges(snapshotThenDelta, delta);
    applyLiveChanges(snapshotThenDelta, delta);
    const fresherSnapshot = storeOf([snapshotThenDelta.get('aq-1') as LiveFeature]);
    applyLiveChanges(fresherSnapshot, delta);
    expect(fresherSnapshot.get('aq-1')).toEqual(snapshotThenDelta.get('aq-1'));
  });

  it('reads a feature’s readings in the feed’s metric order', () => {
    expect(readingsOf(station.properties, ['pm25', 'aqi'])).toEqual([
      { metric: 'pm25', value: 30, ts: T0 },
      { metric: 'aqi', value: 80, ts: T1 },
    ]);
  });
});
