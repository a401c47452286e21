import { z } from 'zod';
import { ingestResultSchema } from './ingest';

export const problemErrorSchema = z
  .object({
    path: z
      .string()
      .meta({ description: 'Dot path of the offending value in the request, e.g. `metrics.0.max`; `(root)` for the whole value.' }),
    message: z.string(),
  })
  .meta({ id: 'ProblemError', description: 'One problem with one value of the request.' });

/** RFC 9457 problem details, the body of every error answer (`application/problem+json`). */
export const problemDetailsSchema = z
  .object({
    type: z.string().meta({ description: '`urn:cityops:problem:<code>` for our own errors, `about:blank` for generic ones.' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: 'The path of the request.' }),
    requestId: z.string().optional().meta({ description: 'The request id (`X-Request-Id`), to find the request in the logs.' }),
    errors: z.array(problemErrorSchema).optional().meta({ description: 'For validation errors: every problem found, not only the first.' }),
    result: ingestResultSchema.optional().meta({
      description:
        'For an NDJSON or CSV stream stopped partway (a cap reached, a broken body): what was stored before it stopped. Records are counted from the start of the body, so a sender resends what follows them.',
    }),
  })
  .meta({
    id: 'ProblemDetails',
    description: 'RFC 9457 problem details, the body of every error answer (application/problem+json). Never holds a stack trace.',
  });
export type ProblemDetails = z.output<typeof problemDetailsSchema>;
