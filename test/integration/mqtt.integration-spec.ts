import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Client } from 'pg';
import { MAX_RECORDS_PER_REQUEST } from '@cityops/contracts';
import { MqttIngestService, type MqttBatchSummary } from '../../apps/worker/src/mqtt-ingest.service';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';

/** `npm test` makes sure a broker answers here (scripts/lib.sh ensure_mosquitto). */
const brokerUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';

describe('mqtt ingest: devices publish to the broker, the workers store what they send', () => {
  let stack: TestStack;
  let db: Client;
  let device: MqttClient;
  let recordsTopic: (feed: string) => string;
  const results: { topic: string; correlation: string | undefined; body: MqttBatchSummary }[] = [];
  const ts = () => new Date().toISOString();

  /** Publishes like a device (QoS 1, MQTT 5 correlation data); answers the correlation. */
  async function publish(topic: string, payload: string | Buffer): Promise<string> {
    const correlation = randomBytes(8).toString('hex');
    await device.publishAsync(topic, payload, { qos: 1, properties: { correlationData: Buffer.from(correlation) } });
    return correlation;
  }

  const answerTo = async (correlation: string): Promise<MqttBatchSummary> =>
    (await eventually(() => results.find((r) => r.correlation === correlation), 10000, `the result of ${correlation}`)).body;

  /** Publishes like a device and waits for the worker's summary of that message. */
  const send = async (topic: string, payload: string | Buffer): Promise<MqttBatchSummary> => answerTo(await publish(topic, payload));

  /** What each worker has handled, message by message, with the PUBACK reason code it answered. */
  const handled: { worker: number; topic: string; correlation: string | undefined; code: number }[] = [];

  beforeAll(async () => {
    // Two workers in one shared-subscription group.
    stack = await startStack({ workers: 2, env: { MQTT_URL: brokerUrl } });
    recordsTopic = (feed: string) => `${stack.config.mqttTopicRoot}/feeds/${feed}/records`;
    await Promise.all(stack.workers.map((w) => w.get(MqttIngestService).whenSubscribed()));
    stack.workers.forEach((w, worker) => {
      const service = w.get(MqttIngestService);
      const handle = service.handle.bind(service);
      service.handle = async (topic, payload, packet) => {
        const code = await handle(topic, payload, packet);
        handled.push({ worker, topic, correlation: packet?.properties?.correlationData?.toString(), code });
        return code;
      };
    });
    db = stack.db;
    device = await connectAsync(brokerUrl, { protocolVersion: 5, clientId: `cityops-test-device-${randomBytes(4).toString('hex')}` });
    device.on('message', (topic, payload, packet) => {
      results.push({
        topic,
        correlation: packet.properties?.correlationData?.toString(),
        body: JSON.parse(payload.toString()) as MqttBatchSummary,
      });
    });
    await device.subscribeAsync(`${stack.config.mqttTopicRoot}/feeds/+/results`, { qos: 0 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await stack?.stop();
  });

  it('stores the good records of a batch, keeps the bad ones as rejected (source mqtt) with reasons, and answers on the results topic', async () => {
    const now = ts();
    const batch = JSON.stringify({
      records: [
        { id: 'mq-ok-1', metric: 'headcount', value: 12, ts: now, area: 'GZM-01' },
        { id: 'mq-ok-2', metric: 'headcount', value: 30, ts: now, location: [113.3245, 23.1375] },
        { id: 'mq-bad-value', metric: 'headcount', value: 'many', ts: now, area: 'GZM-01' },
        { id: 'mq-bad-area', metric: 'headcount', value: 5, ts: now, area: 'NOWHERE' },
      ],
    });
    const summary = await send(recordsTopic('marathon-crowd'), batch);
    expect(summary).toMatchObject({ feed: 'marathon-crowd', accepted: 2, duplicates: 0, rejected: 2 });
    const reasons = 'errors' in summary ? summary.errors : [];
    expect(reasons.map((e) => e.index)).toEqual([2, 3]);
    expect(reasons[0].reason).toMatch(/^value: /);
    expect(reasons[1].reason).toMatch(/unknown area code "NOWHERE"/);

    const stored = await db.query(
      `SELECT record_key, value FROM observation WHERE feed_key = 'marathon-crowd' AND record_key LIKE 'mq-%' ORDER BY record_key`,
    );
    expect(stored.rows).toEqual([
      { record_key: 'mq-ok-1', value: 12 },
      { record_key: 'mq-ok-2', value: 30 },
    ]);
    const rejected = await db.query(
      `SELECT source, raw->>'id' AS id, reason FROM rejected_record WHERE feed_key = 'marathon-crowd' AND raw->>'id' LIKE 'mq-bad-%' ORDER BY record_index`,
    );
    expect(rejected.rows.map((r) => [r.source, r.id])).toEqual([
      ['mqtt', 'mq-bad-value'],
      ['mqtt', 'mq-bad-area'],
    ]);
    expect(rejected.rows[1].reason).toMatch(/unknown area code/);

    // A device that resends (QoS 1 redelivery, a retry after a lost answer) writes nothing twice.
    expect(await send(recordsTopic('marathon-crowd'), batch)).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
    expect((await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'mq-ok-%'`)).rows[0].n).toBe(2);
  });

  it('takes NDJSON lines, a single record and a single GeoJSON Feature; an unreadable line is kept as rejected', async () => {
    const now = ts();
    const ndjson = [
      JSON.stringify({ id: 'mq-nd-1', metric: 'headcount', value: 1, ts: now, area: 'GZM-02' }),
      '{"id": "mq-nd-broken", "metric": ',
      JSON.stringify({ id: 'mq-nd-2', metric: 'headcount', value: 2, ts: now, area: 'GZM-02' }),
    ].join('\n');
    const summary = await send(recordsTopic('marathon-crowd'), ndjson);
    expect(summary).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 1, reason: 'line 2: not valid JSON' }] });
    const kept = await db.query(`SELECT source, raw FROM rejected_record WHERE raw = to_jsonb($1::text)`, [
      '{"id": "mq-nd-broken", "metric": ',
    ]);
    expect(kept.rows).toEqual([{ source: 'mqtt', raw: '{"id": "mq-nd-broken", "metric": ' }]);

    expect(
      await send(
        recordsTopic('marathon-crowd'),
        JSON.stringify({ id: 'mq-single', metric: 'headcount', value: 3, ts: now, area: 'GZM-03' }),
      ),
    ).toMatchObject({ accepted: 1 });
    const feature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [113.3245, 23.1375] },
      properties: { id: 'mq-feature', metric: 'headcount', value: 4, ts: now },
    };
    expect(await send(recordsTopic('marathon-crowd'), JSON.stringify(feature))).toMatchObject({ accepted: 1 });
    const located = await db.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM observation WHERE record_key = 'mq-feature'`);
    expect(located.rows).toEqual([{ lon: 113.3245, lat: 23.1375 }]);
  });

  it('survives garbage, unknown feeds and invalid topics, and still ingests the next good message', async () => {
    const garbage = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe]), Buffer.from(' definitely {not json')]);
    const answer = await send(recordsTopic('marathon-crowd'), garbage);
    expect(answer).toMatchObject({ accepted: 0, rejected: 1, errors: [{ index: 0, reason: 'line 1: not valid JSON' }] });
    const kept = await db.query(`SELECT source, raw FROM rejected_record WHERE raw::text LIKE '%definitely {not json%'`);
    expect(kept.rows).toHaveLength(1);
    expect(kept.rows[0].source).toBe('mqtt');

    expect(await send(recordsTopic('no-such-feed'), JSON.stringify([{ metric: 'x', value: 1, ts: ts() }]))).toEqual({
      feed: 'no-such-feed',
      receivedAt: expect.any(String),
      error: 'unknown feed no-such-feed',
    });
    expect(await send(recordsTopic('marathon-crowd'), '')).toMatchObject({ error: expect.stringMatching(/^empty message/) });
    // Not a valid feed key: logged and dropped, no answer on a topic built from it. The worker's
    // refusal (PUBACK 144, topic name invalid) is the sign that it has been dealt with.
    const invalid = recordsTopic('Not A Key');
    const correlation = await publish(invalid, '[]');
    const refused = await eventually(() => handled.find((h) => h.correlation === correlation), 10000, 'the invalid topic handled');
    expect(refused).toMatchObject({ topic: invalid, code: 144 });

    const after = await send(
      recordsTopic('marathon-crowd'),
      JSON.stringify([{ id: 'mq-after-garbage', metric: 'headcount', value: 9, ts: ts(), area: 'GZM-04' }]),
    );
    expect(after).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key = 'mq-after-garbage'`)).rows[0].n).toBe(1);
    expect(results.filter((r) => r.correlation === correlation || r.topic.includes('Not A Key'))).toEqual([]);
  });

  it('refuses a message of more than 50,000 records whole (PUBACK 153, an error summary) and stores none of it', async () => {
    const time = ts();
    const records = Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, (_, i) => ({
      id: `mq-many-${i}`,
      metric: 'headcount',
      value: 1,
      ts: time,
    }));
    const correlation = await publish(recordsTopic('marathon-crowd'), JSON.stringify(records));
    expect(await answerTo(correlation)).toEqual({
      feed: 'marathon-crowd',
      receivedAt: expect.any(String),
      error: expect.stringMatching(/^The request holds 50,001 records; one request may hold at most 50,000\. Nothing was stored/),
    });
    expect(await eventually(() => handled.find((h) => h.correlation === correlation), 10000, 'the PUBACK')).toMatchObject({ code: 153 });
    expect((await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'mq-many-%'`)).rows[0].n).toBe(0);
  });

  it('acknowledges a QoS 1 message to the broker only once its records are committed', async () => {
    // The device's PUBACK comes from the broker; what matters is when the worker acknowledges to
    // the broker, which then no longer holds a copy. Each PUBACK a worker sends is held back
    // just long enough to count what is stored at that moment.
    type PacketSender = (packet: { cmd: string; messageId?: number; reasonCode?: number }, cb?: () => void) => void;
    const storedAtAck: { code: number | undefined; stored: number }[] = [];
    const count = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'mq-ack-%'`)).rows[0].n as number;
    const restore: (() => void)[] = [];
    for (const worker of stack.workers) {
      const client = worker.get<MqttIngestService, { client: Record<string, PacketSender> }>(MqttIngestService).client;
      const original = client._sendPacket;
      client._sendPacket = (packet, cb) => {
        if (packet.cmd !== 'puback') return original.call(client, packet, cb);
        void count().then((stored) => {
          storedAtAck.push({ code: packet.reasonCode, stored });
          original.call(client, packet, cb);
        });
      };
      restore.push(() => (client._sendPacket = original));
    }
    try {
      const now = ts();
      const records = Array.from({ length: 3000 }, (_, i) => ({
        id: `mq-ack-${i}`,
        metric: 'headcount',
        value: i % 500,
        ts: now,
        location: [113.3 + (i % 50) * 1e-3, 23.12 + (i % 40) * 1e-3],
      }));
      expect(await send(recordsTopic('marathon-crowd'), JSON.stringify(records))).toMatchObject({ accepted: 3000, rejected: 0 });
      await eventually(() => storedAtAck.length > 0, 5000, 'the worker PUBACK');
      expect(storedAtAck).toEqual([{ code: 0, stored: 3000 }]);

      // A message the worker refuses is acknowledged with the MQTT 5 reason code that says why.
      storedAtAck.length = 0;
      await send(recordsTopic('marathon-crowd'), '');
      await eventually(() => storedAtAck.length > 0, 5000, 'the worker PUBACK');
      expect(storedAtAck[0].code).toBe(153); // payload format invalid
    } finally {
      for (const r of restore) r();
    }
  });

  it('hands each message to one worker of the shared subscription, not to both', async () => {
    const now = ts();
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        publish(
          recordsTopic('marathon-crowd'),
          JSON.stringify([{ id: `mq-shared-${i}`, metric: 'headcount', value: i, ts: now, area: 'GZM-05' }]),
        ),
      ),
    );
    const answers = await Promise.all(sent.map(answerTo));
    expect(answers.every((a) => 'accepted' in a && a.accepted === 1)).toBe(true);

    // With plain subscriptions both workers would take every message, and the second copy could
    // still be on its way. Each worker gets its messages in the order they were published and
    // handles them one at a time: once every worker has handled a marker published after the
    // eight, neither has one of the eight still to come.
    const markers = new Set<string>();
    await eventually(
      async () => {
        const marker = await publish(
          recordsTopic('marathon-crowd'),
          JSON.stringify([{ metric: 'headcount', value: 1, ts: ts(), area: 'GZM-05' }]),
        );
        markers.add(marker);
        await eventually(() => handled.some((h) => h.correlation === marker), 10000, 'the marker handled');
        return stack.workers.every((_w, worker) => handled.some((h) => h.worker === worker && markers.has(h.correlation ?? '')));
      },
      20000,
      'a marker handled by each worker',
    );
    for (const correlation of sent) {
      expect(handled.filter((h) => h.correlation === correlation)).toHaveLength(1);
      expect(results.filter((r) => r.correlation === correlation)).toHaveLength(1);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM observation WHERE record_key LIKE 'mq-shared-%'`)).rows[0].n).toBe(8);
  });
});
