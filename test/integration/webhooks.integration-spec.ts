import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { AlertChangedEvent, ProblemDetails, WebhookDeliveryView, WebhookSecret, WebhookView } from '@cityops/contracts';
import { JobName, QueueName } from '@cityops/core';
import {
  AlertNotifications,
  deliveryJobId,
  deliveryKey,
  type QueuedDelivery,
  verifyWebhookSignature,
  WebhookMaintenanceService,
} from '@cityops/notifications';
import { alertChangedEvent } from '../support/alert-events';
import { eventually } from '../support/eventually';
import { createUser, login, startStack, type TestStack } from '../support/stack';

/** What the receiver answers, in order; the last one repeats. `hang`: never answers. */
type Answer = number | 'hang';

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The outside system an admin points a webhook at, on 127.0.0.1 (allowed by the suite's CONNECTOR_ALLOW_HOSTS). */
class Receiver {
  private readonly scripts = new Map<string, Answer[]>();
  readonly received = new Map<string, Received[]>();
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const list = this.received.get(path) ?? [];
        list.push({ at: Date.now(), headers: req.headers, body });
        this.received.set(path, list);
        const script = this.scripts.get(path) ?? [200];
        const answer = script[Math.min(list.length - 1, script.length - 1)];
        if (answer === 'hang') return;
        res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(path: string, ...answers: Answer[]): string {
    this.scripts.set(path, answers);
    return `${this.base}${path}`;
  }

  count(path: string): number {
    return this.received.get(path)?.length ?? 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const ATTEMPTS = 4;
const BACKOFF_MS = 200;
/** Short, so the receiver that never answers fails soon; not so short that a loaded machine misses an answer. */
const TIMEOUT_MS = 2000;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;

describe('alert webhooks: signed, retried with backoff, logged', () => {
  const receiver = new Receiver();
  let stack: TestStack;
  let admin: string;
  let notifications: AlertNotifications;
  let maintenance: WebhookMaintenanceService;
  let queue: Queue;

  const call = async <T>(method: string, path: string, body?: unknown, token = admin): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const createWebhook = async (name: string, url: string, extra: Record<string, unknown> = {}): Promise<WebhookSecret> => {
    const res = await call<WebhookSecret>('POST', '/api/webhooks', { name, url, ...extra });
    if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const deliveries = async (webhookId: string, query = ''): Promise<WebhookDeliveryView[]> => {
    const res = await call<WebhookDeliveryView[]>('GET', `/api/webhooks/${webhookId}/deliveries${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const settled = (webhookId: string, status: 'delivered' | 'failed', count = 1) =>
    eventually(
      async () => {
        const log = await deliveries(webhookId);
        return log.length >= count && log.slice(0, count).every((d) => d.status === status) ? log : null;
      },
      30_000,
      `${count} ${status} deliveries of ${webhookId}`,
    );
  /** The queue holds nothing more to do: every job added so far has run to its end. */
  const queueIdle = () =>
    eventually(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      },
      30_000,
      'an idle notifications queue',
    );

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack({
      workers: 1,
      env: {
        CONNECTOR_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_ATTEMPTS: String(ATTEMPTS),
        WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
    admin = await login(stack.url);
    notifications = stack.workers[0].get(AlertNotifications);
    maintenance = stack.workers[0].get(WebhookMaintenanceService);
    queue = new Queue(QueueName.notifications, {
      connection: { url: stack.config.redis.url },
      prefix: `${stack.config.redis.prefix}:bull`,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await stack?.stop();
    await receiver.stop();
  });

  it('POSTs each matching alert change signed with the secret shown at creation, which the receiver verifies', async () => {
    const { webhook, secret } = await createWebhook('指挥中心值班系统', receiver.answer('/signed', 200));
    expect(webhook).toMatchObject({ enabled: true, filter: {}, createdBy: 'admin' });
    const event = alertChangedEvent('escalated');
    await notifications.changed(event);

    const [request] = await eventually(() => receiver.received.get('/signed'), 15_000, 'the signed request');
    expect(request.headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(
        secret,
        { timestamp: request.headers['x-cityops-timestamp'] as string, signature: request.headers['x-cityops-signature'] as string },
        request.body,
      ),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        `${secret}-not`,
        {
          timestamp: request.headers['x-cityops-timestamp'] as string,
          signature: request.headers['x-cityops-signature'] as string,
        },
        request.body,
      ),
    ).toBe(false);
    const body = JSON.parse(request.body) as { id: string; change: string; alert: AlertChangedEvent['alert']; sentAt: string };
    expect(body).toEqual({
      id: request.headers['x-cityops-delivery'],
      change: 'escalated',
      alert: event.alert,
      sentAt: expect.any(String),
    });
    expect(request.headers['x-cityops-event']).toBe('escalated');

    const [logged] = await settled(webhook.id, 'delivered');
    expect(logged.attemptLog).toEqual([{ attempt: 1, at: expect.any(String), statusCode: 200, error: null }]);
    expect(logged).toMatchObject({
      id: body.id,
      alertId: event.alert.id,
      change: 'escalated',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
    });

    // The secret is nowhere but in that one answer: not in the views, not readable in the table.
    const listed = await call<WebhookView[]>('GET', '/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const stored = await stack.db.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM webhook WHERE id = $1`, [webhook.id]);
    expect(stored.rows[0].secret_sealed).not.toContain(secret);
    await call('DELETE', `/api/webhooks/${webhook.id}`);
  });

  it('sends only what the filter lets through, and nothing to a disabled webhook', async () => {
    const critical = await createWebhook('critical air', receiver.answer('/filtered', 200), {
      filter: { levels: ['critical'], changes: ['escalated', 'resolved'], indicatorKeys: ['air.aqi'] },
    });
    const disabled = await createWebhook('switched off', receiver.answer('/disabled', 200), { enabled: false });
    await notifications.changed(alertChangedEvent('escalated', { indicatorKey: 'air.aqi', level: 'warning' }));
    await notifications.changed(alertChangedEvent('acknowledged', { indicatorKey: 'air.aqi' }));
    await notifications.changed(alertChangedEvent('escalated', { indicatorKey: 'water.depth' }));
    const matching = alertChangedEvent('resolved', { indicatorKey: 'air.aqi' });
    await notifications.changed(matching);
    await queueIdle();

    const log = await deliveries(critical.webhook.id);
    expect(log.map((d) => [d.alertId, d.change, d.status])).toEqual([[matching.alert.id, 'resolved', 'delivered']]);
    expect(receiver.count('/filtered')).toBe(1);
    expect(await deliveries(disabled.webhook.id)).toEqual([]);
    expect(receiver.count('/disabled')).toBe(0);
    await call('DELETE', `/api/webhooks/${critical.webhook.id}`);
    await call('DELETE', `/api/webhooks/${disabled.webhook.id}`);
  });

  it('retries a receiver that answers 500 twice, with growing delays, until it is delivered on the third attempt', async () => {
    const { webhook, secret } = await createWebhook('flaky receiver', receiver.answer('/flaky', 500, 500, 200));
    await notifications.changed(alertChangedEvent('escalated'));

    const [delivery] = await settled(webhook.id, 'delivered');
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(delivery.attemptLog.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 200, null],
    ]);
    const requests = receiver.received.get('/flaky')!;
    expect(requests).toHaveLength(3);
    // Exponential backoff: the second try waits at least the first delay, the third at least twice that.
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(BACKOFF_MS);
    expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_MS);
    // Every try is the same delivery, freshly signed.
    expect(new Set(requests.map((r) => r.headers['x-cityops-delivery']))).toEqual(new Set([delivery.id]));
    for (const r of requests) {
      const headers = { timestamp: r.headers['x-cityops-timestamp'] as string, signature: r.headers['x-cityops-signature'] as string };
      expect(verifyWebhookSignature(secret, headers, r.body)).toBe(true);
    }
  });

  it('gives up on a receiver that never answers after the configured attempts, logging each timeout, and sends it again on request', async () => {
    const url = receiver.answer('/silent', 'hang');
    const { webhook } = await createWebhook('silent receiver', url);
    await notifications.changed(alertChangedEvent('escalated'));

    const [failed] = await settled(webhook.id, 'failed');
    expect(failed).toMatchObject({
      attempts: ATTEMPTS,
      lastStatusCode: null,
      lastError: `no answer within ${TIMEOUT_MS} ms`,
      nextAttemptAt: null,
    });
    expect(failed.attemptLog.map((a) => a.error)).toEqual(new Array(ATTEMPTS).fill(`no answer within ${TIMEOUT_MS} ms`));
    expect(await deliveries(webhook.id, '?status=failed')).toHaveLength(1);
    expect(await deliveries(webhook.id, '?status=delivered')).toEqual([]);

    // The receiver is back: an admin sends the failed delivery again, and the log goes on counting.
    receiver.answer('/silent', 200);
    const retried = await call<WebhookDeliveryView>('POST', `/api/webhooks/deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    // Reopened and queued; the answer is read after the queueing, so a quick worker may be done already.
    expect(['pending', 'delivered']).toContain(retried.body.status);
    const [delivered] = await settled(webhook.id, 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, attempts: ATTEMPTS + 1, lastStatusCode: 200 });
    const again = await call<ProblemDetails>('POST', `/api/webhooks/deliveries/${failed.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('delivered');
  });

  it('sends a change published twice (an evaluation retried) once', async () => {
    const { webhook } = await createWebhook('once only', receiver.answer('/once', 200));
    const event = alertChangedEvent('resolved');
    await Promise.all([notifications.changed(event), notifications.changed(event)]);
    await settled(webhook.id, 'delivered');
    await notifications.changed(structuredClone(event));
    await queueIdle();

    expect(receiver.count('/once')).toBe(1);
    expect(await deliveries(webhook.id)).toHaveLength(1);
    // The next change of the same alert is news.
    await notifications.changed(alertChangedEvent('resolved', { id: event.alert.id, updatedAt: new Date().toISOString() }));
    await settled(webhook.id, 'delivered', 2);
    expect(receiver.count('/once')).toBe(2);
  });

  it('refuses a private address not allowed: 400 naming url at creation, and a failed, logged, unretried delivery at sending', async () => {
    const created = await call<ProblemDetails>('POST', '/api/webhooks', { name: 'intranet', url: 'http://10.1.2.3/hook' });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([
      { path: 'url', message: expect.stringMatching(/^10\.1\.2\.3 is a private address; .*CONNECTOR_ALLOW_HOSTS/) },
    ]);

    // Its name resolved to an allowed address when it was saved, and later to a loopback one that is not (127.0.0.2).
    const { webhook } = await createWebhook('rebound', receiver.answer('/rebound', 200));
    await stack.db.query(`UPDATE webhook SET url = replace(url, '127.0.0.1', '127.0.0.2') WHERE id = $1`, [webhook.id]);
    await notifications.changed(alertChangedEvent('escalated'));
    const [failed] = await settled(webhook.id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastStatusCode).toBeNull();
    expect(failed.lastError).toMatch(/^refused: 127\.0\.0\.2 is a loopback address; .*CONNECTOR_ALLOW_HOSTS/);
    expect(receiver.count('/rebound')).toBe(0);
  });

  it('queues a signed test delivery on request, whatever the filter and even while disabled', async () => {
    const { webhook, secret } = await createWebhook('test me', receiver.answer('/test', 204), {
      enabled: false,
      filter: { levels: ['critical'] },
    });
    const queued = await call<WebhookDeliveryView>('POST', `/api/webhooks/${webhook.id}/test`);
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ webhookId: webhook.id, alertId: null, change: 'test', status: 'pending', attempts: 0 });
    const [request] = await eventually(() => receiver.received.get('/test'), 15_000, 'the test request');
    const headers = {
      timestamp: request.headers['x-cityops-timestamp'] as string,
      signature: request.headers['x-cityops-signature'] as string,
    };
    expect(verifyWebhookSignature(secret, headers, request.body)).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ id: queued.body.id, change: 'test', alert: null });
    await settled(webhook.id, 'delivered');
  });

  it('signs with the new secret once rotated, and shows the secret only in that answer', async () => {
    const { webhook, secret: first } = await createWebhook('rotating', receiver.answer('/rotated', 200));
    const rotated = await call<WebhookSecret>('POST', `/api/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(first);
    expect(Date.parse(rotated.body.webhook.secretRotatedAt)).toBeGreaterThanOrEqual(Date.parse(webhook.secretRotatedAt));
    await call('POST', `/api/webhooks/${webhook.id}/test`);
    const [request] = await eventually(() => receiver.received.get('/rotated'), 15_000, 'the request after rotation');
    const headers = {
      timestamp: request.headers['x-cityops-timestamp'] as string,
      signature: request.headers['x-cityops-signature'] as string,
    };
    expect(verifyWebhookSignature(rotated.body.secret, headers, request.body)).toBe(true);
    expect(verifyWebhookSignature(first, headers, request.body)).toBe(false);
    const shown = await call<WebhookView>('GET', `/api/webhooks/${webhook.id}`);
    expect(JSON.stringify(shown.body)).not.toContain(rotated.body.secret);
    // The audit trail names what was done, never the secret.
    const audit = await stack.db.query<{ action: string; row: string }>(
      `SELECT action, to_jsonb(e)::text AS row FROM audit.audit_event e WHERE target_id = $1 ORDER BY id`,
      [webhook.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['webhook.create', 'webhook.rotate_secret', 'webhook.test']);
    for (const r of audit.rows) {
      expect(r.row).not.toContain(first);
      expect(r.row).not.toContain(rotated.body.secret);
    }
  });

  it('replaces a webhook idempotently, deletes it with its log, and answers 404 for one that is not there', async () => {
    const { webhook } = await createWebhook('replace me', receiver.answer('/replace', 200));
    const body = { name: 'replaced', url: receiver.answer('/replaced', 200), filter: { themes: ['water'] }, enabled: false };
    const first = await call<WebhookView>('PUT', `/api/webhooks/${webhook.id}`, body);
    const second = await call<WebhookView>('PUT', `/api/webhooks/${webhook.id}`, body);
    expect(first.status).toBe(200);
    expect(second.body).toMatchObject({ ...body, id: webhook.id });
    expect(second.body.secretRotatedAt).toBe(webhook.secretRotatedAt);
    expect((await call('DELETE', `/api/webhooks/${webhook.id}`)).status).toBe(200);
    for (const [method, path] of [
      ['GET', `/api/webhooks/${webhook.id}`],
      ['DELETE', `/api/webhooks/${webhook.id}`],
      ['GET', `/api/webhooks/${webhook.id}/deliveries`],
      ['POST', `/api/webhooks/${webhook.id}/rotate-secret`],
      ['POST', `/api/webhooks/deliveries/${webhook.id}/retry`],
    ]) {
      expect([method, path, (await call(method, path)).status]).toEqual([method, path, 404]);
    }
  });

  /** A pending delivery of a `fired` change as AlertNotifications writes it, due `dueInMinutes` from now, and no job queued for it. */
  const pendingWithoutJob = async (webhookId: string, dueInMinutes: number): Promise<QueuedDelivery> => {
    const { alert } = alertChangedEvent('fired');
    const dedupeKey = deliveryKey(webhookId, alert, 'fired');
    const inserted = await stack.db.query<{ id: string }>(
      `INSERT INTO webhook_delivery (webhook_id, alert_id, change, dedupe_key, payload, next_attempt_at)
       VALUES ($1, $2, 'fired', $3, $4, now() + make_interval(mins => $5)) RETURNING id`,
      [webhookId, alert.id, dedupeKey, JSON.stringify({ change: 'fired', alert }), dueInMinutes],
    );
    return { id: inserted.rows[0].id, dedupeKey };
  };

  it('sends, on the sweep, pending deliveries overdue with no job or a finished one, and leaves one still queued or not yet overdue', async () => {
    const { webhook } = await createWebhook('swept', receiver.answer('/swept', 200));
    // Due in 10 minutes and swept as if an hour later: the worker's own minutely sweep (real time) leaves them to this one.
    const lost = await pendingWithoutJob(webhook.id, 10);
    const ended = await pendingWithoutJob(webhook.id, 10);
    const queued = await pendingWithoutJob(webhook.id, 10);
    const notOverdue = await pendingWithoutJob(webhook.id, 58);
    // `ended`: a job of its id ran (for a delivery since gone) and is kept as completed; BullMQ would ignore adding that id again.
    await queue.add(JobName.deliverWebhook, { deliveryId: randomUUID() }, { jobId: deliveryJobId(ended.dedupeKey) });
    await eventually(async () => (await queue.getJobState(deliveryJobId(ended.dedupeKey))) === 'completed', 15_000, 'the ended job');
    // `queued`: its job waits for a retry's backoff.
    await queue.add(JobName.deliverWebhook, { deliveryId: queued.id }, { jobId: deliveryJobId(queued.dedupeKey), delay: 3600_000 });

    const swept = await maintenance.sweep(new Date(Date.now() + 60 * MINUTE_MS));
    expect(swept.requeued).toEqual(expect.arrayContaining([lost.id, ended.id]));
    expect(swept.requeued).not.toContain(queued.id);
    expect(swept.requeued).not.toContain(notOverdue.id);

    const requests = await eventually(
      () => (receiver.count('/swept') >= 2 ? receiver.received.get('/swept') : null),
      15_000,
      'the swept deliveries at the receiver',
    );
    expect(requests.map((r) => r.headers['x-cityops-delivery']).sort()).toEqual([lost.id, ended.id].sort());
    const log = await eventually(
      async () => {
        const byId = new Map((await deliveries(webhook.id)).map((d) => [d.id, d]));
        return byId.get(lost.id)?.status === 'delivered' && byId.get(ended.id)?.status === 'delivered' ? byId : null;
      },
      15_000,
      'both swept deliveries logged as delivered',
    );
    expect(log.get(lost.id)).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    expect(log.get(queued.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(log.get(notOverdue.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await queue.getJobState(deliveryJobId(queued.dedupeKey))).toBe('delayed');

    // Delivered once: the next sweep queues neither again.
    const again = await maintenance.sweep(new Date(Date.now() + 60 * MINUTE_MS));
    expect(again.requeued).not.toContain(lost.id);
    expect(again.requeued).not.toContain(ended.id);
    await queue.remove(deliveryJobId(queued.dedupeKey));
    await call('DELETE', `/api/webhooks/${webhook.id}`);
  });

  it('prunes delivered and failed deliveries with their attempts once ended WEBHOOK_LOG_RETENTION_DAYS ago, in batches, keeping the rest', async () => {
    const { webhook } = await createWebhook('pruned', receiver.answer('/pruned', 200));
    const row = async (status: 'pending' | 'delivered' | 'failed', endedDaysAgo: number): Promise<string> => {
      const inserted = await stack.db.query<{ id: string }>(
        `INSERT INTO webhook_delivery (webhook_id, change, dedupe_key, payload, attempts, status, next_attempt_at, delivered_at, created_at, updated_at)
         SELECT $1, 'test', 'test-' || gen_random_uuid(), '{"change":"test","alert":null}', 2, $2,
                CASE WHEN $2 = 'pending' THEN now() + interval '1 day' END, CASE WHEN $2 = 'delivered' THEN t END, t, t
           FROM (SELECT now() - make_interval(days => $3) AS t) at
         RETURNING id`,
        [webhook.id, status, endedDaysAgo],
      );
      const id = inserted.rows[0].id;
      await stack.db.query(
        `INSERT INTO webhook_delivery_attempt (delivery_id, attempt, status_code) SELECT $1, a, 500 FROM generate_series(1, 2) a`,
        [id],
      );
      return id;
    };
    // Pruned as if 15 days from now, with the default retention of 30 days: what ended over 15 days ago goes.
    const old = [
      await row('delivered', 20),
      await row('delivered', 20),
      await row('delivered', 20),
      await row('failed', 20),
      await row('failed', 16),
    ];
    const recent = await row('delivered', 14);
    const stillPending = await row('pending', 20);

    expect(await maintenance.prune(new Date(Date.now() + 15 * DAY_MS), 2)).toEqual({ deleted: old.length });
    const left = await stack.db.query<{ id: string; attempts: number }>(
      `SELECT d.id, (SELECT count(*)::int FROM webhook_delivery_attempt a WHERE a.delivery_id = d.id) AS attempts
         FROM webhook_delivery d WHERE d.webhook_id = $1 ORDER BY d.id`,
      [webhook.id],
    );
    expect(left.rows).toEqual([recent, stillPending].sort().map((id) => ({ id, attempts: 2 })));
    const orphans = await stack.db.query(`SELECT 1 FROM webhook_delivery_attempt WHERE delivery_id = ANY($1::uuid[])`, [old]);
    expect(orphans.rows).toEqual([]);
    expect((await deliveries(webhook.id)).map((d) => d.id).sort()).toEqual([recent, stillPending].sort());
    await call('DELETE', `/api/webhooks/${webhook.id}`);
  });

  it('answers 400 naming the field for a bad webhook, and 403 to anyone but an admin', async () => {
    const bad = await call<ProblemDetails>('POST', '/api/webhooks', {
      name: '',
      url: 'ftp://example.org/hook',
      filter: { levels: ['severe'], colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors!.map((e) => e.path).sort()).toEqual(['filter', 'filter.levels.0', 'name', 'url'].sort());
    const withCredentials = await call<ProblemDetails>('POST', '/api/webhooks', { name: 'x', url: 'https://user:pw@example.org/hook' });
    expect(withCredentials.body.errors).toEqual([{ path: 'url', message: expect.stringContaining('must not carry credentials') }]);
    expect((await call('GET', '/api/webhooks/not-a-uuid')).status).toBe(400);
    expect((await call('GET', '/api/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=lost')).status).toBe(400);

    const operator = await createUser(stack.url, admin, { username: 'webhook-operator', roles: ['operator', 'commander'] });
    const token = await login(stack.url, operator.username, operator.password);
    expect((await call('GET', '/api/webhooks', undefined, token)).status).toBe(403);
    expect((await call('POST', '/api/webhooks', { name: 'x', url: 'https://example.org/' }, token)).status).toBe(403);
  });
});
