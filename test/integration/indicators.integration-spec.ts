import { indicatorDefinitionSchema, indicatorPreviewSchema, type IndicatorValuesEvent, type IndicatorWriteInput } from '@cityops/contracts';
import { QueueName, QueueService } from '@cityops/core';
import { IndicatorService, IndicatorTriggerService, recomputeDeduplication, TICK_MS } from '@cityops/indicators';
import { eventually } from '../support/eventually';
import { login, startStack, type TestStack } from '../support/stack';

const FEED = 'test-air';

interface Area {
  id: number;
  code: string;
}

/** A problem answer with its errors, after checking it is problem+json with the status it says. */
async function problem(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { status: number; detail?: string; errors?: { path: string; message: string }[] };
  expect(body.status).toBe(res.status);
  return body;
}

describe('indicators as data: definitions, one-statement aggregates, composites, preview (real PostGIS and Redis)', () => {
  let stack: TestStack;
  let admin: string;
  /** Two districts; in the first two grids, in the second one. */
  let districtA: Area;
  let districtB: Area;
  let gridA1: Area;
  let gridA2: Area;
  let gridB1: Area;
  let t: number;

  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const post = (records: { id: string; entity?: string; value: number; ago: number; area: string; metric?: string }[]) =>
    call('POST', `/api/feeds/${FEED}/records`, {
      records: records.map((r) => ({
        id: r.id,
        ...(r.entity ? { entity: r.entity } : {}),
        metric: r.metric ?? 'aqi',
        value: r.value,
        ts: new Date(t - r.ago * 1000).toISOString(),
        area: r.area,
      })),
    });

  /** A district-and-grid aggregate of the test feed over the last 5 minutes. */
  const aggregate = (key: string, source: Record<string, unknown>, extra: Partial<IndicatorWriteInput> = {}): IndicatorWriteInput => ({
    key,
    name: key,
    theme: 'environment',
    grouping: { levels: ['district', 'grid'] },
    source: { kind: 'aggregate', feed: FEED, metric: 'aqi', windowSeconds: 300, perEntity: 'latest', across: 'sum', ...source },
    ...extra,
  });

  const composite = (key: string, formula: string): IndicatorWriteInput => ({
    key,
    name: key,
    grouping: { levels: ['district'] },
    source: { kind: 'composite', formula },
  });

  const create = async (d: IndicatorWriteInput) => {
    const res = await call('POST', '/api/indicators', d);
    expect(res.status).toBe(201);
    return indicatorDefinitionSchema.parse(await res.json());
  };

  const byArea = (event: IndicatorValuesEvent) => new Map(event.values.map((v) => [v.areaId, v]));
  const recompute = (key: string) => stack.api!.get(IndicatorService).recompute(key);

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    const districts = (
      await stack.db.query<Area & { grids: Area[] }>(
        `SELECT d.id, d.code,
                (SELECT json_agg(json_build_object('id', g.id, 'code', g.code) ORDER BY g.id)
                   FROM (SELECT id, code FROM area g WHERE g.level = 'grid' AND g.path_ids @> ARRAY[d.id] ORDER BY id LIMIT 2) g) AS grids
           FROM area d WHERE d.level = 'district' ORDER BY d.code LIMIT 2`,
      )
    ).rows;
    [districtA, districtB] = districts;
    [gridA1, gridA2] = districts[0].grids;
    [gridB1] = districts[1].grids;
    const feed = await call('POST', '/api/feeds', {
      key: FEED,
      name: '测试空气站',
      theme: 'environment',
      metrics: [{ key: 'aqi' }, { key: 'pm25' }],
    });
    expect(feed.status).toBe(201);
    t = Date.now();
    const res = await post([
      { id: 'e1-a', entity: 'e1', value: 10, ago: 120, area: gridA1.code },
      { id: 'e1-b', entity: 'e1', value: 30, ago: 60, area: gridA1.code },
      { id: 'e2-a', entity: 'e2', value: 50, ago: 30, area: gridA1.code },
      { id: 'r1', value: 5, ago: 20, area: gridA1.code },
      { id: 'e3-a', entity: 'e3', value: 70, ago: 30, area: gridA2.code },
      { id: 'e4-a', entity: 'e4', value: 100, ago: 40, area: gridB1.code },
      // Outside the 5-minute window: counts nowhere.
      { id: 'e5-old', entity: 'e5', value: 1000, ago: 1000, area: gridA1.code },
      // Another metric of the same feed: counts nowhere either.
      { id: 'e1-pm', entity: 'e1', value: 999, ago: 10, area: gridA1.code, metric: 'pm25' },
    ]);
    expect(await res.json()).toMatchObject({ accepted: 8, rejected: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // Readings in the window: grid A1 e1 10 then 30, e2 50, one record without entity 5; grid A2 e3 70; grid B1 e4 100.
  it.each<[string, Record<string, unknown>, number, number, number, number]>([
    // [name, source, district A, district B, grid A1, grid A2]
    ['latest per entity, summed', { perEntity: 'latest', across: 'sum' }, 30 + 50 + 5 + 70, 100, 30 + 50 + 5, 70],
    ['sum per entity, averaged', { perEntity: 'sum', across: 'avg' }, (40 + 50 + 5 + 70) / 4, 100, (40 + 50 + 5) / 3, 70],
    ['max per entity, max across', { perEntity: 'max', across: 'max' }, 70, 100, 50, 70],
    ['min per entity, min across', { perEntity: 'min', across: 'min' }, 5, 100, 5, 70],
    ['readings per entity, summed (count)', { perEntity: 'count', across: 'sum' }, 5, 1, 4, 1],
    ['entities reporting (count across)', { perEntity: 'latest', across: 'count' }, 4, 1, 3, 1],
    ['avg per entity, p95 across', { perEntity: 'avg', across: 'p95' }, 50 + 0.85 * 20, 100, 20 + 0.9 * 30, 70],
    ['p95 per entity, summed', { perEntity: 'p95', across: 'sum' }, 10 + 0.95 * 20 + 50 + 5 + 70, 100, 10 + 0.95 * 20 + 50 + 5, 70],
    [
      'rate per minute per entity, summed',
      { perEntity: 'rate_per_minute', across: 'sum' },
      (40 + 50 + 5 + 70) / 5,
      100 / 5,
      (40 + 50 + 5) / 5,
      70 / 5,
    ],
  ])('computes %s for every district and grid in one recomputation', async (name, source, a, b, a1, a2) => {
    const key = `t.agg.${name.replace(/[^a-z0-9]+/g, '_').slice(0, 40)}`;
    await create(aggregate(key, source));
    const values = byArea(await recompute(key));
    expect(values.get(districtA.id)?.value).toBeCloseTo(a, 9);
    expect(values.get(districtB.id)?.value).toBeCloseTo(b, 9);
    expect(values.get(gridA1.id)?.value).toBeCloseTo(a1, 9);
    expect(values.get(gridA2.id)?.value).toBeCloseTo(a2, 9);
    // Every district and grid with readings, and nothing else (the city is not in the grouping).
    expect([...values.keys()].sort((x, y) => x - y)).toEqual(
      [districtA.id, districtB.id, gridA1.id, gridA2.id, gridB1.id].sort((x, y) => x - y),
    );
    // The value's time is the newest reading it was computed from.
    expect(values.get(districtA.id)?.ts).toBe(new Date(t - 20_000).toISOString());
  });

  it('normalises per 10,000 residents and per km², keeping the measured quantity and the divisor', async () => {
    const { rows } = await stack.db.query<{ id: number; population: number; km2: number }>(
      `SELECT id, population, ST_Area(geom::geography) / 1e6 AS km2 FROM area WHERE id = ANY($1::int[])`,
      [[districtA.id, gridA1.id]],
    );
    const measure = new Map(rows.map((r) => [r.id, r]));
    expect(measure.get(districtA.id)!.population).toBeGreaterThan(0);

    await create(aggregate('t.per_10k', { normalise: 'per_10k_residents' }, { grouping: { levels: ['district'] } }));
    const per10k = byArea(await recompute('t.per_10k')).get(districtA.id)!;
    const residents = measure.get(districtA.id)!.population / 10_000;
    expect(per10k).toMatchObject({ numerator: 155, denominator: residents });
    expect(per10k.value).toBeCloseTo(155 / residents, 9);

    await create(aggregate('t.per_km2', { normalise: 'per_km2' }, { grouping: { levels: ['grid'] } }));
    const perKm2 = byArea(await recompute('t.per_km2')).get(gridA1.id)!;
    expect(perKm2.numerator).toBe(85);
    expect(perKm2.denominator).toBeCloseTo(measure.get(gridA1.id)!.km2, 9);
    expect(perKm2.value).toBeCloseTo(85 / measure.get(gridA1.id)!.km2, 6);
  });

  it('carries name, unit, format, theme and the threshold spec in the values event', async () => {
    await create(
      aggregate(
        't.event',
        {},
        {
          nameEn: 'Event test',
          unit: 'AQI',
          format: { decimals: 0, percent: false },
          thresholds: { levels: [{ level: 'warning', op: '>=', value: 100, clear: 90 }], noData: { afterSeconds: 600, policy: 'stale' } },
        },
      ),
    );
    const event = await recompute('t.event');
    expect(event).toMatchObject({
      indicatorKey: 't.event',
      name: 't.event',
      nameEn: 'Event test',
      theme: 'environment',
      unit: 'AQI',
      format: { decimals: 0, percent: false },
      thresholds: {
        levels: [{ level: 'warning', op: '>=', value: 100, clear: 90 }],
        pendingSeconds: 0,
        keepFiringSeconds: 0,
        noData: { afterSeconds: 600, policy: 'stale' },
      },
    });
  });

  it('recomputes a composite when an input changes: ingest → input recomputed → composite recomputed', async () => {
    await create(aggregate('t.in.sum', { perEntity: 'latest', across: 'sum' }));
    await create(aggregate('t.in.max', { perEntity: 'latest', across: 'max' }));
    const health = await create(composite('t.health', 'round({t.in.sum} / 10 + coalesce({t.in.max}, 0), 2)'));
    expect(health.reads).toEqual(['t.in.sum', 't.in.max']);
    const latest = async () =>
      byArea((await (await call('GET', '/api/indicators/t.health/latest')).json()) as IndicatorValuesEvent).get(districtA.id)?.value;
    // Creating the definitions computed them (in the worker): 155 / 10 + 70.
    await eventually(async () => (await latest()) === 85.5, 10_000, 'the composite computed from its inputs');

    const res = await post([{ id: 'e3-b', entity: 'e3', value: 170, ago: 5, area: gridA2.code }]);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    // 255 / 10 + 170
    await eventually(async () => (await latest()) === 195.5, 10_000, 'the composite after its inputs changed');
  });

  it('rejects bad definitions with a 400 naming the field', async () => {
    await create(composite('t.c1', '{t.in.max} + 1'));
    await create(composite('t.c2', '{t.c1} * 2'));
    const cases: [string, IndicatorWriteInput, string, RegExp][] = [
      ['unknown feed', aggregate('t.bad', { feed: 'no-such-feed' }), 'source.feed', /no feed no-such-feed/],
      ['unknown metric', aggregate('t.bad', { metric: 'no2' }), 'source.metric', /has no metric no2 \(it has: aqi, pm25\)/],
      ['unknown zone set', { ...aggregate('t.bad', {}), grouping: { zoneSet: 'no-such-set' } }, 'grouping.zoneSet', /no zone set/],
      ['a level that cannot group', { ...aggregate('t.bad', {}), grouping: { levels: ['zone'] } }, 'grouping.levels.0', /not a level/],
      ['missing indicator', composite('t.bad', '{t.in.max} + {t.nothing}'), 'source.formula', /\{t\.nothing\}, which is not an indicator/],
      ['formula syntax', composite('t.bad', '{t.in.max} +* 2'), 'source.formula', /unexpected "\*".*at character 13/],
      [
        'thresholds out of order',
        aggregate(
          't.bad',
          {},
          {
            thresholds: {
              levels: [
                { level: 'warning', op: '>=', value: 100 },
                { level: 'critical', op: '>=', value: 50 },
              ],
            },
          },
        ),
        'thresholds.levels.1.value',
        /out of order/,
      ],
    ];
    for (const [name, body, path, message] of cases) {
      const res = await call('POST', '/api/indicators', body);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      const { errors } = await problem(res);
      expect({ name, errors }).toEqual({ name, errors: [{ path, message: expect.stringMatching(message) }] });
    }
    // A cycle made by replacing a definition names the chain.
    const cycle = await call('PUT', '/api/indicators/t.c1', {
      name: 't.c1',
      grouping: { levels: ['district'] },
      source: { kind: 'composite', formula: '{t.c2} - 1' },
    });
    expect(cycle.status).toBe(400);
    expect((await problem(cycle)).errors).toEqual([{ path: 'source.formula', message: 'the formula makes a cycle: t.c1 → t.c2 → t.c1' }]);
    // The shape is checked first, by the schema: a wrong type names its field too.
    const shape = await call('POST', '/api/indicators', { ...aggregate('t.bad', {}), source: { kind: 'aggregate', feed: FEED } });
    expect(shape.status).toBe(400);
    expect((await problem(shape)).errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['source.metric', 'source.windowSeconds']));
    // Nothing was stored.
    expect((await call('GET', '/api/indicators/t.bad')).status).toBe(404);
  });

  it('creates once (409 after), replaces idempotently, and deletes only what no composite reads', async () => {
    expect((await call('POST', '/api/indicators', composite('t.c1', '1'))).status).toBe(409);

    const body = {
      name: '替换',
      grouping: { levels: ['district'] },
      source: { kind: 'composite', formula: '{t.in.sum} * 2' },
      evaluateEverySeconds: 60,
    };
    const first = await call('PUT', '/api/indicators/t.put', body);
    expect(first.status).toBe(200);
    const second = await call('PUT', '/api/indicators/t.put', body);
    const [a, b] = [indicatorDefinitionSchema.parse(await first.json()), indicatorDefinitionSchema.parse(await second.json())];
    expect({ ...b, updatedAt: a.updatedAt }).toEqual(a);
    expect(a).toMatchObject({
      key: 't.put',
      name: '替换',
      theme: 'general',
      format: { decimals: 1, percent: false },
      reads: ['t.in.sum'],
      enabled: true,
    });

    const inUse = await call('DELETE', '/api/indicators/t.c1');
    expect(inUse.status).toBe(409);
    expect((await problem(inUse)).detail).toContain('read by t.c2');
    expect((await call('DELETE', '/api/indicators/t.c2')).status).toBe(200);
    expect((await call('DELETE', '/api/indicators/t.c1')).status).toBe(200);
    expect((await call('GET', '/api/indicators/t.c1')).status).toBe(404);
    expect((await call('DELETE', '/api/indicators/t.c1')).status).toBe(404);

    // Admin writes are audited like the others, with the definition before and after.
    const { rows } = await stack.db.query<{ action: string; target_id: string }>(
      `SELECT action, target_id FROM audit.audit_event WHERE target_type = 'indicator' AND target_id IN ('t.put', 't.c1') ORDER BY id`,
    );
    expect(rows.map((r) => `${r.action} ${r.target_id}`)).toEqual(
      expect.arrayContaining(['indicator.create t.c1', 'indicator.update t.put', 'indicator.delete t.c1']),
    );
  });

  it('previews a definition per area over the last hour without saving it', async () => {
    const res = await call('POST', '/api/indicators/preview', aggregate('t.preview', {}, { grouping: { levels: ['district'] } }));
    expect(res.status).toBe(200);
    const preview = indicatorPreviewSchema.parse(await res.json());
    expect(Date.parse(preview.to) - Date.parse(preview.from)).toBe(59 * 60_000);
    expect(preview.stepSeconds).toBe(60);
    expect(preview.alerts).toBeNull();
    expect(preview.areas.map((a) => a.areaCode).sort()).toEqual([districtA.code, districtB.code].sort());
    const a = preview.areas.find((x) => x.areaId === districtA.id)!;
    // Points are a minute apart and lie in the hour; the newest counts every reading in its window.
    for (const p of a.points) {
      expect((Date.parse(preview.to) - Date.parse(p.ts)) % 60_000).toBe(0);
      expect(Date.parse(p.ts)).toBeGreaterThanOrEqual(Date.parse(preview.from));
    }
    expect(a.points.at(-1)).toEqual({ ts: preview.to, value: 30 + 50 + 5 + 170 });
    expect((await call('GET', '/api/indicators/t.preview')).status).toBe(404);

    // A composite previews from its inputs' stored values at each point.
    const c = await call('POST', '/api/indicators/preview', composite('t.preview2', '{t.in.max} * 2'));
    const composed = indicatorPreviewSchema.parse(await c.json());
    expect(composed.areas.find((x) => x.areaId === districtA.id)!.points.at(-1)!.value).toBe(340);

    const bad = await call('POST', '/api/indicators/preview', composite('t.preview3', '{t.nothing}'));
    expect(bad.status).toBe(400);
  });

  it('previews which areas would have alerted when, by the live alert rules replayed over each series', async () => {
    const thresholds = { levels: [{ level: 'warning', op: '>=', value: 200 }] } satisfies IndicatorWriteInput['thresholds'];
    const res = await call(
      'POST',
      '/api/indicators/preview',
      aggregate('t.preview4', {}, { grouping: { levels: ['district'] }, thresholds }),
    );
    expect(res.status).toBe(200);
    const preview = indicatorPreviewSchema.parse(await res.json());
    const alerts = preview.alerts ?? [];
    // District A ends the hour at 255, over the warning: alerting still at the end.
    expect(alerts).toContainEqual(expect.objectContaining({ areaId: districtA.id, level: 'warning', to: null }));
    // Every stretch begins at a point of its area at or over the threshold.
    for (const stretch of alerts) {
      const area = preview.areas.find((x) => x.areaId === stretch.areaId);
      expect(area?.points.find((p) => p.ts === stretch.from)?.value).toBeGreaterThanOrEqual(200);
    }
    // Without thresholds there is nothing to replay.
    expect(preview.alerts).not.toBeNull();
    const plain = indicatorPreviewSchema.parse(
      await (await call('POST', '/api/indicators/preview', aggregate('t.preview5', {}, { grouping: { levels: ['district'] } }))).json(),
    );
    expect(plain.alerts).toBeNull();
  });

  it('ticks: schedules and time-driven thresholds enqueue one recomputation per indicator and slot', async () => {
    await create(aggregate('t.scheduled', {}, { evaluateEverySeconds: 30 }));
    await create(aggregate('t.pending', {}, { thresholds: { levels: [{ level: 'warning', op: '>=', value: 1 }], pendingSeconds: 60 } }));
    const triggers = stack.workers[0].get(IndicatorTriggerService);
    const queue = stack.workers[0].get(QueueService).queue(QueueName.indicators);
    const queued = (key: string) => queue.getDeduplicationJobId(recomputeDeduplication(key).id);
    // Saving computed each at once; once those ran, nothing waits for either.
    await eventually(async () => !(await queued('t.scheduled')) && !(await queued('t.pending')), 10_000, 'the saves computed');
    const now = Date.now();
    expect(await triggers.tick(now)).toBeGreaterThanOrEqual(2);
    await triggers.tick(now + 1);
    const scheduled = await queue.getJob(`t.scheduled-e30-${Math.floor(now / 30_000)}`);
    const pending = await queue.getJob(`t.pending-t${Math.floor(now / TICK_MS)}`);
    expect(scheduled?.data).toEqual({ indicatorKey: 't.scheduled', triggeredBy: 'schedule' });
    expect(pending?.data).toEqual({ indicatorKey: 't.pending', triggeredBy: 'tick' });
  });

  it('keeps at most one recomputation of an indicator waiting, and one more behind a running one', async () => {
    await create(aggregate('t.coalesced', {}));
    const triggers = stack.workers[0].get(IndicatorTriggerService);
    const queue = stack.workers[0].get(QueueService).queue(QueueName.indicators);
    const jobsOf = async (key: string) =>
      (await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized'])).filter((j) => j.data.indicatorKey === key);
    // Twenty causes in a row (as a busy feed makes them): one job waiting, at most one more behind a running one.
    for (let i = 0; i < 20; i++) await triggers.definitionChanged('t.coalesced');
    expect((await jobsOf('t.coalesced')).length).toBeLessThanOrEqual(2);
    expect(await queue.getDeduplicationJobId(recomputeDeduplication('t.coalesced').id)).toBeTruthy();
    // And they all end: the last cause is computed, then nothing is left behind.
    await eventually(async () => (await jobsOf('t.coalesced')).length === 0, 10_000, 'the coalesced recomputation ran');
  });
});
