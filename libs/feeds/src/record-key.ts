import { createHash } from 'node:crypto';

/**
 * The same record sent twice gets the same key: its id, or a digest of what it says, so a resend
 * without ids is still stored once (the time is the other half of the stored key).
 */
export function recordKey(record: {
  id?: string;
  entity?: string;
  metric: string;
  value: number;
  area?: string;
  location?: unknown;
  props?: unknown;
}): string {
  if (record.id) return record.id;
  const digest = createHash('sha1')
    .update(
      JSON.stringify([
        record.entity ?? null,
        record.metric,
        record.value,
        record.area ?? null,
        record.location ?? null,
        record.props ?? null,
      ]),
    )
    .digest('hex');
  return `sha1:${digest}`;
}
