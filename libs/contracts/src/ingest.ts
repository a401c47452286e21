import { z } from 'zod';

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

export const positionSchema = z.tuple([lon, lat]);

const pointGeometrySchema = z.object({ type: z.literal('Point'), coordinates: positionSchema });

/** One record pushed to a feed. `ts` must carry a zone (`Z` or `+08:00`). */
export const ingestRecordSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    entity: z.string().min(1).max(200).optional(),
    metric: z.string().min(1).max(100),
    value: z.number().finite(),
    ts: z.iso.datetime({ offset: true }),
    location: z.union([positionSchema, pointGeometrySchema]).optional(),
    area: z.string().min(1).max(100).optional(),
    props: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type IngestRecord = z.infer<typeof ingestRecordSchema>;

export interface IngestError {
  index: number;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Why each rejected record was rejected (the first 1,000; all are kept for inspection). */
  errors: IngestError[];
  /** Present when more records were rejected than `errors` lists. */
  errorsTruncated?: true;
}

/** Where a record came in; kept with rejected records. */
export type IngestSource = 'http' | 'mqtt' | 'pull' | 'replay';

/** Largest number of records one request may carry. */
export const MAX_RECORDS_PER_REQUEST = 50000;

/** Keys of feeds, indicators and zone sets: lower-case, URL-safe (the database checks the same). */
export const catalogKeySchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'not a valid key (a-z, 0-9, _ . -)');
