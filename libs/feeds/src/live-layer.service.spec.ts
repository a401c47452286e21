import { LIVE_LAYER_MAX_ENTITIES, type FeedDefinition } from '@cityops/contracts';
import type { LivePublisher, ScopedLiveEvent } from '@cityops/core';
import type { AreaDirectory } from '@cityops/geo';
import type { EntityRepository } from './entity.repository';
import type { FeedRepository } from './feed.repository';
import { LiveLayerService } from './live-layer.service';
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

function service(states: unknown[] = [], located = states.length) {
  const published: ScopedLiveEvent[] = [];
  const live = { publishScoped: (event: ScopedLiveEvent) => published.push(event) } as unknown as LivePublisher;
  const areas = {
    byIds: (ids: Iterable<number>) => Promise.resolve(new Map([...ids].map((id) => [id, { id, code: `g${id}` }]))),
  } as unknown as AreaDirectory;
  const entities = {
    states: () => Promise.resolve(states),
    locatedCounts: (keys: string[]) => Promise.resolve(new Map(keys.map((k) => [k, located]))),
  } as unknown as EntityRepository;
  const layers = new LiveLayerService({} as FeedRepository, entities, {} as ObservationRepository, areas, live);
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
    await layers.entitiesStored('pumps', ['d1', 'd2']);
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
  });

  it('publishes nothing for an entity feed too big to be a live layer', async () => {
    const ts = new Date('2026-11-30T08:00:00Z');
    const state = { id: 'cam', ts, geometry: { type: 'Point', coordinates: [113, 23] }, props: {}, areaId: 3 };
    const { layers, published } = service([state], LIVE_LAYER_MAX_ENTITIES + 1);
    await layers.entitiesStored('cameras', ['cam']);
    expect(published).toEqual([]);
  });

  it('never fails the write it follows when the areas cannot be read', async () => {
    const live = { publishScoped: jest.fn() } as unknown as LivePublisher;
    const areas = { byIds: () => Promise.reject(new Error('database away')) } as unknown as AreaDirectory;
    const layers = new LiveLayerService({} as FeedRepository, {} as EntityRepository, {} as ObservationRepository, areas, live);
    await expect(layers.readingsStored(FEED, [row('s1', 1, '2026-11-30T08:00:00Z', [113, 23], 1)])).resolves.toBeUndefined();
    expect(live.publishScoped).not.toHaveBeenCalled();
  });
});
