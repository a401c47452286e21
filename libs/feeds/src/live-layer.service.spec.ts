import { LIVE_LAYER_MAX_ENTITIES, type FeedDefinition } from '@cityops/contracts';
import type { LivePublisher, ScopedLiveEvent } from '@cityops/core';
import type { AreaDirectory } from '@cityops/geo';
import type { EntityRepository } from './entity.repository';
import type { FeedRepository } from './feed.repository';
import type { AgedPlace, LiveLayerPlaceRepository, PublishedPlace } from './live-layer-place.repository';
import { departure, LiveLayerService } from './live-layer.service';
import type { ObservationRow } from './observation-row';
import type { ObservationRepository } from './observation.repository';

const FEED = { key: 'air', kind: 'observation', metrics: [{ key: 'aqi' }], expectedIntervalSeconds: 60 } as unknown as FeedDefinition;

function row(entity: string | null, value: number, ts: string, at: [number, number] | null, areaId: number | null): ObservationRow {
  return {
    recordKey: `${entity}-${ts}`,
    ts,
    metric: 'aqi',
    value,
    entity,
    areaCode: null,
    areaId,
    areaPath: areaId === null ? [] : [areaId],
    lon: at?.[0] ?? null,
    lat: at?.[1] ?? null,
    props: null,
  };
}

/** The places held in Redis, faked: each sensor's last published area, and the sensors that aged out. */
function heldPlaces(held: Record<string, number | null> = {}, aged: AgedPlace[] = []) {
  return {
    swap: (_: string, places: PublishedPlace[]) => {
      const previous = places.map((p) => held[p.entity] ?? null);
      for (const p of places) held[p.entity] = p.areaId;
      return Promise.resolve({ previous, aged });
    },
  } as unknown as LiveLayerPlaceRepository;
}

function service(states: unknown[] = [], located = states.length, places = heldPlaces()) {
  const published: ScopedLiveEvent[] = [];
  const live = { publishScoped: (event: ScopedLiveEvent) => published.push(event) } as unknown as LivePublisher;
  const areas = {
    byIds: (ids: Iterable<number>) => Promise.resolve(new Map([...ids].map((id) => [id, { id, code: `g${id}` }]))),
  } as unknown as AreaDirectory;
  const entities = {
    states: () => Promise.resolve(states),
    locatedCounts: (keys: string[]) => Promise.resolve(new Map(keys.map((k) => [k, located]))),
  } as unknown as EntityRepository;
  const layers = new LiveLayerService({} as FeedRepository, entities, {} as ObservationRepository, areas, live, places);
  return { layers, published };
}

describe('live layer deltas published by ingest', () => {
  it('publishes one merge per located entity on the feed’s channel, each placed in the area of its newest reading', async () => {
    const { layers, published } = service();
    await layers.readingsStored(FEED, [
      row('s1', 10, '2026-11-30T08:00:00Z', [113.1, 23.1], 1),
      row('s1', 12, '2026-11-30T08:01:00Z', [113.2, 23.2], 2),
      row('s2', 30, '2026-11-30T08:00:00Z', [113.3, 23.3], null),
      row(null, 99, '2026-11-30T08:00:00Z', [113.4, 23.4], 4),
      row('s3', 50, '2026-11-30T08:00:00Z', null, 5),
    ]);
    expect(published).toHaveLength(1);
    const [event] = published;
    expect(event).toMatchObject({ channel: 'layer:air', event: 'layer.delta', list: { key: 'changes' } });
    const payload = event.payload as {
      feed: string;
      changes: { op: string; feature: { id: string; properties: Record<string, unknown> } }[];
    };
    expect(payload.feed).toBe('air');
    expect(payload.changes.map((c) => [c.op, c.feature.id, c.feature.properties['value:aqi'], c.feature.properties.area])).toEqual([
      ['merge', 's1', 12, 'g2'],
      ['merge', 's2', 30, null],
    ]);
    // An entity without an area is for city-wide listeners only (as the REST answer is).
    expect(event.list?.places).toEqual([{ areaIds: [2] }, { areaIds: [] }]);
  });

  it('publishes nothing for a batch without located entities, or touching more entities than a live layer holds', async () => {
    const { layers, published } = service();
    await layers.readingsStored(FEED, [row(null, 1, '2026-11-30T08:00:00Z', [113, 23], 1)]);
    const many = Array.from({ length: LIVE_LAYER_MAX_ENTITIES + 1 }, (_, i) => row(`s${i}`, 1, '2026-11-30T08:00:00Z', [113, 23], 1));
    await layers.readingsStored(FEED, many);
    expect(published).toEqual([]);
  });

  it('publishes an entity feed’s replaced states whole, and one without a place as a removal', async () => {
    const ts = new Date('2026-11-30T08:00:00Z');
    const { layers, published } = service([
      { id: 'd1', ts, geometry: { type: 'Point', coordinates: [113, 23] }, props: { status: 'fault' }, areaId: 3 },
      { id: 'd2', ts, geometry: null, props: {}, areaId: null },
    ]);
    await layers.entitiesStored('pumps', [
      { id: 'd1', previousAreaId: 3 },
      { id: 'd2', previousAreaId: null },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0].channel).toBe('layer:pumps');
    expect((published[0].payload as { changes: unknown[] }).changes).toEqual([
      {
        op: 'replace',
        feature: {
          type: 'Feature',
          id: 'd1',
          geometry: { type: 'Point', coordinates: [113, 23] },
          properties: { status: 'fault', id: 'd1', ts: ts.toISOString(), area: 'g3' },
        },
      },
      { op: 'remove', id: 'd2' },
    ]);
    expect(published[0].list?.places).toEqual([{ areaIds: [3] }, { areaIds: [] }]);
    expect(published[0].list?.departures).toEqual([null, null]);
  });

  it('tells the listeners of the area an entity left, or lost its place in, of its removal', async () => {
    const ts = new Date('2026-11-30T08:00:00Z');
    const { layers, published } = service([
      { id: 'moved', ts, geometry: { type: 'Point', coordinates: [113, 23] }, props: {}, areaId: 4 },
      { id: 'unplaced', ts, geometry: null, props: {}, areaId: null },
      { id: 'stayed', ts, geometry: { type: 'Point', coordinates: [113, 23] }, props: {}, areaId: 5 },
    ]);
    await layers.entitiesStored('pumps', [
      { id: 'moved', previousAreaId: 3 },
      { id: 'unplaced', previousAreaId: 3 },
      { id: 'stayed', previousAreaId: 5 },
    ]);
    expect(published[0].list?.places).toEqual([{ areaIds: [4] }, { areaIds: [] }, { areaIds: [5] }]);
    expect(published[0].list?.departures).toEqual([
      { from: { areaIds: [3] }, item: { op: 'remove', id: 'moved' } },
      { from: { areaIds: [3] }, item: { op: 'remove', id: 'unplaced' } },
      null,
    ]);
  });

  it('tells the listeners of the area a sensor left of its removal, and takes off the sensors that aged out', async () => {
    const { layers, published } = service([], 0, heldPlaces({ s1: 1, s2: 2 }, [{ entity: 'old', areaId: 7 }]));
    await layers.readingsStored(FEED, [
      row('s1', 10, '2026-11-30T08:00:00Z', [113.1, 23.1], 1),
      row('s2', 12, '2026-11-30T08:01:00Z', [113.2, 23.2], 3),
      row('s3', 30, '2026-11-30T08:00:00Z', [113.3, 23.3], 3),
    ]);
    const changes = (published[0].payload as { changes: { op: string; id?: string; feature?: { id: string } }[] }).changes;
    expect(changes.map((c) => [c.op, c.id ?? c.feature?.id])).toEqual([
      ['merge', 's1'],
      ['merge', 's2'],
      ['merge', 's3'],
      ['remove', 'old'],
    ]);
    expect(published[0].list?.places).toEqual([{ areaIds: [1] }, { areaIds: [3] }, { areaIds: [3] }, { areaIds: [7] }]);
    expect(published[0].list?.departures).toEqual([null, { from: { areaIds: [2] }, item: { op: 'remove', id: 's2' } }, null, null]);
  });

  it('publishes nothing for an entity feed too big to be a live layer', async () => {
    const ts = new Date('2026-11-30T08:00:00Z');
    const state = { id: 'cam', ts, geometry: { type: 'Point', coordinates: [113, 23] }, props: {}, areaId: 3 };
    const { layers, published } = service([state], LIVE_LAYER_MAX_ENTITIES + 1);
    await layers.entitiesStored('cameras', [{ id: 'cam', previousAreaId: null }]);
    expect(published).toEqual([]);
  });

  it('never fails the write it follows when the areas cannot be read', async () => {
    const live = { publishScoped: jest.fn() } as unknown as LivePublisher;
    const areas = { byIds: () => Promise.reject(new Error('database away')) } as unknown as AreaDirectory;
    const layers = new LiveLayerService(
      {} as FeedRepository,
      {} as EntityRepository,
      {} as ObservationRepository,
      areas,
      live,
      heldPlaces(),
    );
    await expect(layers.readingsStored(FEED, [row('s1', 1, '2026-11-30T08:00:00Z', [113, 23], 1)])).resolves.toBeUndefined();
    expect(live.publishScoped).not.toHaveBeenCalled();
  });
});

describe('who hears that an entity left', () => {
  it.each([
    ['moved from one area to another: the listeners of the first', 3, 4, { areaIds: [3] }],
    ['lost its area (no place, or outside every grid): the listeners of the one it had', 3, null, { areaIds: [3] }],
    ['stayed in its area: nobody (they hear the change)', 3, 3, null],
    ['came from no area (or is new): nobody, lest an id reach who never saw it', null, 4, null],
    ['had no area and still has none: nobody', null, null, null],
  ])('%s', (_, previous: number | null, now: number | null, from) => {
    const left = departure('d1', previous, now);
    expect(left?.from ?? null).toEqual(from);
    if (left) expect(left.item).toEqual({ op: 'remove', id: 'd1' });
  });
});
