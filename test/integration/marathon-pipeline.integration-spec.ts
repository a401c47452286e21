import type { AlertChangedEvent, AlertView, IndicatorValuesEvent } from '@cityops/contracts';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { eventually } from '../support/eventually';
import { connectLive, waitFor } from '../support/live-client';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { kioskLogin, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';

describe('marathon: ingest → indicator → alert → live push, on real PostGIS and Redis', () => {
  let stack: TestStack;
  let admin: string;
  let kiosk: string;
  let course: Segment[];

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    kiosk = await kioskLogin(stack.url);
    course = await segments(stack.url, admin);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has the 21-segment course with capacities', () => {
    expect(course).toHaveLength(21);
    expect(course.map((s) => s.code)).toEqual(Array.from({ length: 21 }, (_, i) => `GZM-${String(i + 1).padStart(2, '0')}`));
    expect(course.map((s) => s.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(course.filter((s) => !(s.capacity > 0))).toEqual([]);
  });

  it('reports db, redis and queues on /api/health to the metrics token', async () => {
    const res = await fetch(`${stack.url}/api/health`, { headers: { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      db: { ok: boolean; postgis: string };
      redis: { ok: boolean };
      queues: { ok: boolean };
    };
    expect(body).toMatchObject({ status: 'ok', db: { ok: true }, redis: { ok: true }, queues: { ok: true } });
    expect(body.db.postgis).toMatch(/^3\./);
  });

  it('serves the API description at /api/docs unless it is turned off (as it is by default in production)', async () => {
    const described = await fetch(`${stack.url}/api/docs-json`);
    expect(described.status).toBe(200);
    expect(((await described.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/api/feeds/{key}/records');

    const closed = await createApiApp({ ...stack.config, apiDocsEnabled: false });
    try {
      await closed.listen(0, '127.0.0.1');
      const { port } = closed.getHttpServer().address() as { port: number };
      for (const path of ['/api/docs', '/api/docs-json']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    } finally {
      await closed.close();
    }
  });

  it('refuses API routes and the socket without a token', async () => {
    const res = await fetch(`${stack.url}/api/alerts`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    await expect(connectLive(stack.url, 'not-a-token', ['alerts'])).rejects.toThrow('unauthorized: invalid or expired token');
  });

  it('fires a critical alert over socket.io when a segment passes its capacity, and resolves it only under 0.75', async () => {
    const live = await connectLive(stack.url, kiosk, ['alerts', 'indicator:marathon.segment_load']);
    expect(live.ack).toEqual({ ok: true, channels: ['alerts', 'indicator:marathon.segment_load'] });
    const target = course[4];
    const calm = course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.4) }));

    const t0 = Date.now() - 20000;
    expect((await postHeadcounts(stack.url, calm, new Date(t0 - 3000))).status).toBe(200);
    await waitFor(() => live.events.find((e) => e.event === 'indicator.values'), 5000, 'first indicator.values');

    const surge = calm.map((c) => (c.code === target.code ? { ...c, headcount: Math.round(target.capacity * 1.12) } : c));
    const res = await postHeadcounts(stack.url, surge, new Date(t0));
    expect(await res.json()).toEqual({ accepted: course.length, duplicates: 0, rejected: 0, errors: [] });

    const opened = await waitFor(
      () => live.events.find((e) => e.event === 'alert.changed' && (e.payload as AlertChangedEvent).change === 'fired'),
      5000,
      'alert.changed fired',
    );
    const change = opened.payload as AlertChangedEvent;
    expect(change.alert).toMatchObject({ areaCode: target.code, level: 'critical', state: 'firing', threshold: 1 });
    expect(change.alert.value).toBeCloseTo(1.12, 2);
    expect(change.alert.center).toHaveLength(2);
    // Opened because of the surge: after the database received its record. (How fast, records
    // to wall, is a benchmark's question: npm run bench:alert-latency.)
    const received = (await stack.db.query(`SELECT received_at FROM observation WHERE record_key = $1`, [`${target.code}-${t0}`])).rows[0]
      .received_at as Date;
    expect(Date.parse(change.alert.startedAt)).toBeGreaterThanOrEqual(received.getTime());

    const values = live.events.filter((e) => e.event === 'indicator.values').at(-1)!.payload as IndicatorValuesEvent;
    expect(values.values).toHaveLength(course.length);
    expect(values.values.find((v) => v.areaCode === target.code)).toMatchObject({
      numerator: Math.round(target.capacity * 1.12),
      denominator: target.capacity,
    });

    const openList = (await (
      await fetch(`${stack.url}/api/alerts?active=true`, { headers: { authorization: `Bearer ${kiosk}` } })
    ).json()) as AlertView[];
    expect(openList.map((a) => a.areaCode)).toEqual([target.code]);

    // 0.77: under the warning threshold but above clear → de-escalated, still open.
    await postHeadcounts(
      stack.url,
      calm.map((c) => (c.code === target.code ? { ...c, headcount: Math.round(target.capacity * 0.77) } : c)),
      new Date(t0 + 3000),
    );
    await waitFor(() => live.events.find((e) => (e.payload as AlertChangedEvent).change === 'deescalated'), 5000, 'deescalated');

    // 0.6: resolved.
    await postHeadcounts(
      stack.url,
      calm.map((c) => (c.code === target.code ? { ...c, headcount: Math.round(target.capacity * 0.6) } : c)),
      new Date(t0 + 6000),
    );
    const resolved = await waitFor(() => live.events.find((e) => (e.payload as AlertChangedEvent).change === 'resolved'), 5000, 'resolved');
    expect((resolved.payload as AlertChangedEvent).alert).toMatchObject({ id: change.alert.id, state: 'resolved' });
    live.socket.close();
  });

  it('lets a dispatcher-capable user acknowledge an alert, but not the read-only kiosk', async () => {
    const target = course[9];
    const live = await connectLive(stack.url, kiosk, ['alerts']);
    await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 0.85) }], new Date());
    const opened = await waitFor(
      () => live.events.find((e) => (e.payload as AlertChangedEvent).alert?.areaCode === target.code),
      5000,
      'warning opened',
    );
    const alert = (opened.payload as AlertChangedEvent).alert;
    expect(alert.level).toBe('warning');

    const denied = await fetch(`${stack.url}/api/alerts/${alert.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk}` },
    });
    expect(denied.status).toBe(403);
    const ok = await fetch(`${stack.url}/api/alerts/${alert.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: alert.id, acknowledgedBy: 'admin', state: 'firing' });
    await waitFor(() => live.events.find((e) => (e.payload as AlertChangedEvent).change === 'acknowledged'), 5000, 'acknowledged event');
    // A retried acknowledgement changes nothing and still answers the alert.
    const again = await fetch(`${stack.url}/api/alerts/${alert.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(again.status).toBe(200);
    live.socket.close();
  });

  it('serves Prometheus metrics with HTTP latency, ingest counts, job durations and socket clients', async () => {
    // Something to count: a batch ingested, and the indicator job it triggers.
    const live = await connectLive(stack.url, kiosk, ['alerts']);
    expect((await postHeadcounts(stack.url, [{ code: course[0].code, headcount: 1 }], new Date())).status).toBe(200);
    const completedJob = /cityops_job_duration_seconds_count\{queue="indicators",job="indicator.recompute",status="completed"\} [1-9]/;
    const text = await eventually(
      async () => {
        const body = await (
          await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${TEST_SECRETS.METRICS_TOKEN}` } })
        ).text();
        return completedJob.test(body) ? body : undefined;
      },
      10000,
      'a completed indicator job in the metrics',
    );
    live.socket.close();
    expect(text).toMatch(/cityops_http_request_duration_seconds_bucket\{.*route="\/api\/feeds\/:key\/records".*\} [1-9]/);
    expect(text).toMatch(/cityops_ingest_records_total\{feed="marathon-crowd",outcome="accepted"\} [1-9]/);
    // The socket opened above is connected.
    expect(text).toMatch(/cityops_socket_clients [1-9]/);
  });
});
