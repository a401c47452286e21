import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { connectAsync, type MqttClient } from 'mqtt';
import type { IngestResult } from '@cityops/contracts';
import { MqttIngestService, type MqttBatchSummary } from '../../apps/worker/src/mqtt-ingest.service';
import { eventually } from '../support/eventually';
import { csvBody, RECORDS_FEED, recordCases, recordsBody, type RecordCase } from '../support/hostile-records';
import { feedToken, startStack, type TestStack } from '../support/stack';

/** `npm test` makes sure a broker answers here (scripts/lib.sh ensure_mosquitto). */
const brokerUrl = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';

/** Fixed, so a failure comes back the same way; fast-check prints it (and the shrunk case) on failure. */
const SEED = Number(process.env.HOSTILE_SEED ?? 7072026);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

const FORMATS = ['json-array', 'json-records', 'geojson', 'ndjson', 'csv', 'mqtt'] as const;
type Format = (typeof FORMATS)[number];

const CONTENT_TYPES: Record<Exclude<Format, 'mqtt'>, string> = {
  'json-array': 'application/json',
  'json-records': 'application/json',
  geojson: 'application/geo+json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
};

/** Ids are written with this placeholder and made unique per run, so a shrunk or repeated case never meets its earlier self. */
const PLACEHOLDER = 'RUNID';

interface StoredRow {
  record_key: string;
  value: number;
  ts: Date;
  entity: string | null;
  props: Record<string, unknown> | null;
}

describe('hostile records beside valid ones, in every format: never a 5xx, every valid record stored, every hostile one stored exactly or rejected with a reason', () => {
  let stack: TestStack;
  let device: MqttClient;
  const summaries = new Map<string, MqttBatchSummary>();

  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { MQTT_URL: brokerUrl } });
    await stack.workers[0].get(MqttIngestService).whenSubscribed();
    device = await connectAsync(brokerUrl, { protocolVersion: 5, clientId: `cityops-hostile-${randomBytes(4).toString('hex')}` });
    device.on('message', (_topic, payload, packet) => {
      const correlation = packet.properties?.correlationData?.toString();
      if (correlation) summaries.set(correlation, JSON.parse(payload.toString()) as MqttBatchSummary);
    });
    await device.subscribeAsync(`${stack.config.mqttTopicRoot}/feeds/${RECORDS_FEED}/results`, { qos: 0 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await stack?.stop();
  });

  /** Sends the body the way `format` travels; answers the status (200 for a stored MQTT message) and the ingest result. */
  async function send(format: Format, gzip: boolean, body: string): Promise<{ status: number; result: unknown }> {
    if (format === 'mqtt') {
      const correlation = randomBytes(8).toString('hex');
      await device.publishAsync(`${stack.config.mqttTopicRoot}/feeds/${RECORDS_FEED}/records`, body, {
        qos: 1,
        properties: { correlationData: Buffer.from(correlation) },
      });
      const summary = await eventually(() => summaries.get(correlation), 15000, `the MQTT summary ${correlation}`);
      return { status: 'error' in summary ? 500 : 200, result: summary };
    }
    const res = await fetch(`${stack.url}/api/feeds/${RECORDS_FEED}/records`, {
      method: 'POST',
      headers: {
        'content-type': CONTENT_TYPES[format],
        authorization: `Bearer ${feedToken}`,
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: gzip ? gzipSync(body) : body,
    });
    return { status: res.status, result: await res.json() };
  }

  /** What a stored case must look like in the database, as its format carries it. */
  function expectedRow(format: Format, c: RecordCase, id: string) {
    if (format === 'csv') {
      const cells = c.csv!;
      return {
        value: Number(cells.value),
        ts: Date.parse(cells.ts),
        entity: cells.entity ?? null,
        props: cells.note ? { note: cells.note } : null,
      };
    }
    const record = JSON.parse(c.json.replaceAll(PLACEHOLDER, id.split('-')[0])) as Record<string, unknown>;
    return { value: record.value, ts: Date.parse(record.ts as string), entity: record.entity ?? null, props: record.props ?? null };
  }

  let run = 0;

  it('holds for generated requests (fixed seed; HOSTILE_SEED and HOSTILE_RUNS override)', async () => {
    const property = fc.asyncProperty(
      fc.constantFrom(...FORMATS),
      fc.boolean(),
      recordCases(PLACEHOLDER),
      async (format, gzip, generated) => {
        const cases = generated.filter((c) => (format === 'csv' ? c.csv !== null : format === 'ndjson' || !c.ndjsonOnly));
        fc.pre(cases.length > 0);
        const prefix = `h${++run}x${randomBytes(3).toString('hex')}`;
        const raw = format === 'csv' ? csvBody(cases) : recordsBody(format === 'mqtt' ? 'json-array' : format, cases);
        const { status, result } = await send(format, gzip, raw.replaceAll(PLACEHOLDER, prefix));

        expect(status).toBeLessThan(500);
        expect({ status, result }).toMatchObject({ status: 200 });
        const answer = result as IngestResult;
        expect(answer.accepted + answer.duplicates + answer.rejected).toBe(cases.length);
        const reasons = new Map(answer.errors.map((e) => [e.index, e.reason]));

        const rows = await stack.db.query<StoredRow>(
          `SELECT record_key, value, ts, entity, props FROM observation WHERE feed_key = $1 AND record_key LIKE $2`,
          [RECORDS_FEED, `${prefix}-%`],
        );
        const byKey = new Map(rows.rows.map((r) => [r.record_key, r]));
        cases.forEach((c, index) => {
          const id = c.id.replace(PLACEHOLDER, prefix);
          const reason = reasons.get(index);
          const what = `record ${index} (${c.label}) sent as ${format}${gzip ? ' gzip' : ''}`;
          if (c.expect === 'rejected' || (c.expect === 'either' && reason !== undefined)) {
            expect({ what, reason }).toEqual({ what, reason: expect.stringMatching(/^\S.*/) });
            return;
          }
          expect({ what, reason }).toEqual({ what, reason: undefined });
          const row = byKey.get(id);
          const stored = row && { value: row.value, ts: row.ts.getTime(), entity: row.entity, props: row.props };
          expect({ what, stored }).toEqual({ what, stored: expectedRow(format, c, prefix) });
        });
        expect(rows.rows.length).toBe(cases.filter((c, index) => !reasons.has(index) && c.expect !== 'rejected').length);
      },
    );
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
  }, 180_000);
});
