import { catalogKeySchema } from '@cityops/contracts';

/** Devices publish here (`MQTT_TOPIC_ROOT`, default `cityops`); `+` is the feed key. */
export const recordsTopicFilter = (root: string): string => `${root}/feeds/+/records`;

export const resultsTopic = (root: string, feedKey: string): string => `${root}/feeds/${feedKey}/results`;

/** The feed key of a records topic under `root`, or null when the topic does not name a valid one. */
export function feedKeyOfTopic(topic: string, root = 'cityops'): string | null {
  if (!topic.startsWith(`${root}/`)) return null;
  const parts = topic.slice(root.length + 1).split('/');
  if (parts.length !== 3 || parts[0] !== 'feeds' || parts[2] !== 'records') return null;
  const key = catalogKeySchema.safeParse(parts[1]);
  return key.success ? key.data : null;
}

/**
 * What a message carries: a document for `ingestDocument` (array, {records}, FeatureCollection),
 * or records for `ingestRecords` (one JSON record, or NDJSON lines). Unreadable NDJSON lines stay
 * in place as their text, so they are kept as rejected records at their own index.
 */
export type MqttPayload =
  | { kind: 'empty' }
  | { kind: 'document'; document: unknown }
  | { kind: 'records'; records: unknown[]; unreadableLines: Map<number, number> };

const MAX_RAW_LINE = 2000;

function isDocument(doc: unknown): boolean {
  if (Array.isArray(doc)) return true;
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { type?: unknown; features?: unknown; records?: unknown };
  return (d.type === 'FeatureCollection' && Array.isArray(d.features)) || Array.isArray(d.records);
}

/** Text that PostgreSQL's jsonb accepts (it refuses NUL), short enough to keep. */
function keptLine(line: string): string {
  const clean = line.replaceAll('\u0000', '\uFFFD');
  return clean.length > MAX_RAW_LINE ? `${clean.slice(0, MAX_RAW_LINE)}…` : clean;
}

export function parseMqttPayload(payload: Buffer): MqttPayload {
  const text = payload.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'empty' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return ndjsonRecords(text);
  }
  if (isDocument(doc)) return { kind: 'document', document: doc };
  // A single Feature or record per message is the common case for small devices.
  if (typeof doc === 'object' && doc !== null && (doc as { type?: unknown }).type === 'Feature') {
    return { kind: 'document', document: { type: 'FeatureCollection', features: [doc] } };
  }
  return { kind: 'records', records: [doc], unreadableLines: new Map() };
}

function ndjsonRecords(text: string): MqttPayload {
  const records: unknown[] = [];
  const unreadableLines = new Map<number, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      unreadableLines.set(records.length, i + 1);
      records.push(keptLine(line));
    }
  });
  return { kind: 'records', records, unreadableLines };
}
