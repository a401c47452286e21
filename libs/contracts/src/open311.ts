import { z } from 'zod';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at `/open311/v2`: field names are
 * the specification's, snake_case, so that any Open311 client works unchanged. Each resource is
 * served as JSON or XML, by the extension of its path (`services.json`, `services.xml`).
 */

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export const open311FormatSchema = z.enum(OPEN311_FORMATS, { error: 'the format must be json or xml (e.g. services.json)' });
export type Open311Format = z.output<typeof open311FormatSchema>;

/**
 * open: reported, dispatched, accepted, in_progress, resolved, verified, returned;
 * closed: closed, invalid, duplicate, cancelled.
 */
export const OPEN311_STATUSES = ['open', 'closed'] as const;
export const open311StatusSchema = z.enum(OPEN311_STATUSES).meta({
  id: 'Open311Status',
  description:
    'open while the case is reported, dispatched, accepted, in_progress, resolved, verified or returned; closed once it is closed, ' +
    'invalid, duplicate or cancelled. A request merged into another (a duplicate) reports the status of the case it was merged into.',
});
export type Open311Status = z.output<typeof open311StatusSchema>;

/** One error of an Open311 error answer (the spec's `[{code, description}]`, `<errors><error>` in XML). */
export const open311ErrorSchema = z
  .object({ code: z.number().int(), description: z.string() })
  .meta({ id: 'Open311Error', description: 'One error, as GeoReport v2 words them: the HTTP status and what was wrong.' });
export type Open311Error = z.output<typeof open311ErrorSchema>;
export const open311ErrorsSchema = z.array(open311ErrorSchema);

export const open311EndpointSchema = z
  .object({
    specification: z.string(),
    url: z.string(),
    changeset: z.string(),
    type: z.enum(['production', 'test']),
    formats: z.array(z.string()),
  })
  .meta({ id: 'Open311Endpoint' });

export const open311DiscoverySchema = z
  .object({
    changeset: z.string(),
    contact: z.string(),
    key_service: z.string(),
    endpoints: z.array(open311EndpointSchema),
  })
  .meta({ id: 'Open311Discovery', description: 'Service discovery: where the GeoReport v2 endpoint is and in which formats it answers.' });
export type Open311Discovery = z.output<typeof open311DiscoverySchema>;

export const open311ServiceSchema = z
  .object({
    service_code: z.string().meta({ description: 'The case category key.' }),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean().meta({ description: 'Always false: no service takes attributes.' }),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: z.string().meta({ description: 'Comma separated.' }),
    group: z.string().meta({ description: 'The name of the category group.' }),
  })
  .meta({ id: 'Open311Service', description: 'One enabled case category.' });
export type Open311Service = z.output<typeof open311ServiceSchema>;

export const open311AttributeSchema = z
  .object({
    variable: z.boolean(),
    code: z.string(),
    datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
    required: z.boolean(),
    datatype_description: z.string().nullable(),
    order: z.number().int(),
    description: z.string(),
    values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
  })
  .meta({ id: 'Open311Attribute' });

export const open311ServiceDefinitionSchema = z
  .object({ service_code: z.string(), attributes: z.array(open311AttributeSchema) })
  .meta({ id: 'Open311ServiceDefinition', description: 'A service’s extra questions: none here (attributes is empty).' });
export type Open311ServiceDefinition = z.output<typeof open311ServiceDefinitionSchema>;

export const open311ServiceRequestSchema = z
  .object({
    service_request_id: z.string().meta({ description: 'The case code.' }),
    status: open311StatusSchema,
    status_notes: z.string().nullable().meta({ description: 'The latest public comment on the case’s timeline; internal notes never.' }),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string(),
    agency_responsible: z.string().nullable().meta({ description: 'The department handling it; null while none is.' }),
    service_notice: z.string().nullable(),
    requested_datetime: z.string().meta({ description: 'When it was reported (ISO 8601 with offset).' }),
    updated_datetime: z.string(),
    expected_datetime: z.string().nullable().meta({ description: 'The resolve deadline, once a department has accepted it.' }),
    address: z.string().nullable(),
    lat: z.number(),
    long: z.number(),
  })
  .meta({
    id: 'Open311ServiceRequest',
    description: 'A case as the public sees it: never the reporter’s name or contact, internal notes or photos.',
  });
export type Open311ServiceRequest = z.output<typeof open311ServiceRequestSchema>;

export const open311RequestCreatedSchema = z
  .object({
    service_request_id: z.string().meta({ description: 'The case code.' }),
    token: z.string().meta({ description: 'Follows the request without an account (`GET tokens/{token}`).' }),
    service_notice: z.string().nullable(),
    account_id: z.string().nullable(),
  })
  .meta({ id: 'Open311RequestCreated' });
export type Open311RequestCreated = z.output<typeof open311RequestCreatedSchema>;

export const open311TokenAnswerSchema = z.object({ service_request_id: z.string(), token: z.string() }).meta({ id: 'Open311TokenAnswer' });
export type Open311TokenAnswer = z.output<typeof open311TokenAnswerSchema>;

// ---- input ----

/** A form field is a string; a JSON client may send a number. Either must be a plain decimal number. */
const coordinate = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^[-+]?\d{1,3}(\.\d{1,15})?$/, 'must be a decimal number')
        .transform(Number),
    ])
    .pipe(z.number().min(min).max(max));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const open311PostRequestSchema = z
  .object(
    {
      api_key: z.string().trim().min(1, 'is required').max(200).optional(),
      jurisdiction_id: optionalText(100),
      service_code: z
        .string({ error: 'is required' })
        .trim()
        .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, 'must be a service_code of GET services'),
      lat: coordinate(-90, 90).optional(),
      long: coordinate(-180, 180).optional(),
      address_string: optionalText(300),
      address_id: optionalText(100),
      email: optionalText(254),
      device_id: optionalText(200),
      account_id: optionalText(200),
      first_name: optionalText(100),
      last_name: optionalText(100),
      phone: optionalText(40),
      description: optionalText(4000),
      media_url: optionalText(2000),
    },
    {
      // No body, or one that is not an object: the client sent neither a form nor JSON.
      error: (issue) =>
        issue.code === 'invalid_type' ? 'send the request form-encoded (application/x-www-form-urlencoded) or as a JSON object' : undefined,
    },
  )
  .meta({
    id: 'Open311PostRequest',
    description:
      'GeoReport v2 `POST requests`, form-encoded or JSON. lat and long are required (no geocoding of address_string); ' +
      'media_url is not kept; attributes are not taken; unknown fields are ignored.',
  });
export type Open311PostRequest = z.output<typeof open311PostRequestSchema>;

/**
 * An ISO 8601 date and time with its offset. A `+` left unencoded in a query string arrives as a
 * space (`…T08:00:00 08:00`): read as the `+` the client meant.
 */
const dateParam = z
  .preprocess(
    (v) => (typeof v === 'string' ? v.replace(/ (\d{2}:\d{2})$/, '+$1') : v),
    z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with a time zone' }),
  )
  .optional();

export const open311ListRequestsQuerySchema = z.object({
  service_request_id: z.string().max(4000).optional().meta({ description: 'Case codes, comma separated; overrides every other filter.' }),
  service_code: z.string().max(1000).optional().meta({ description: 'Comma separated.' }),
  start_date: dateParam,
  end_date: dateParam,
  status: z
    .string()
    .max(20)
    .regex(/^(open|closed)(,(open|closed))?$/, 'must be open, closed or both, comma separated')
    .optional(),
  jurisdiction_id: z.string().max(100).optional(),
});
export type Open311ListRequestsQuery = z.output<typeof open311ListRequestsQuerySchema>;

export const open311FormatParamsSchema = z.object({ format: open311FormatSchema });
export type Open311FormatParams = z.output<typeof open311FormatParamsSchema>;

export const open311ServiceParamsSchema = z.object({ service_code: z.string().max(50), format: open311FormatSchema });
export type Open311ServiceParams = z.output<typeof open311ServiceParamsSchema>;

export const open311RequestParamsSchema = z.object({ service_request_id: z.string().max(40), format: open311FormatSchema });
export type Open311RequestParams = z.output<typeof open311RequestParamsSchema>;

export const open311TokenParamsSchema = z.object({ token: z.string().max(100), format: open311FormatSchema });
export type Open311TokenParams = z.output<typeof open311TokenParamsSchema>;

/** The body of an Open311 answer in XML: a string (the document's element names are the JSON's field names). */
export const open311XmlSchema = z.string().meta({ description: 'The same resource as XML (`text/xml; charset=utf-8`).' });

// ---- API keys (admin) ----

export const open311KeyViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart; the key itself is shown once.' }),
    createdAt: z.iso.datetime({ offset: true }),
    createdBy: z.string().nullable(),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'Open311KeyView', description: 'A key an Open311 application files citizens’ requests with (`api_key`).' });
export type Open311KeyView = z.output<typeof open311KeyViewSchema>;

export const createOpen311KeySchema = z
  .object({ name: z.string().trim().min(1).max(100).meta({ description: 'Who the key is for (an app, a partner).' }) })
  .meta({ id: 'CreateOpen311KeyRequest' });
export type CreateOpen311KeyRequest = z.output<typeof createOpen311KeySchema>;

export const open311KeySecretSchema = z
  .object({ key: open311KeyViewSchema, secret: z.string().meta({ description: 'Shown this once; stored only as a hash.' }) })
  .meta({ id: 'Open311KeySecret' });
export type Open311KeySecret = z.output<typeof open311KeySecretSchema>;

export const open311KeyIdParamsSchema = z.object({ id: z.uuid() });
export type Open311KeyIdParams = z.output<typeof open311KeyIdParamsSchema>;
