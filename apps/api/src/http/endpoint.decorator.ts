import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import { ApiOperation, ApiResponse, type ResponseObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { problemDetailsSchema, type Role } from '@cityops/contracts';
import { apiSchemas } from './openapi-schema.registry';

/**
 * Who may call a route with a token, declared next to its handler. The authorization matrix test
 * walks every route with every kind of caller against this.
 */
export interface Policy {
  /** People: `any` signed-in user, only these roles (admin always may), or `none`. */
  users: 'any' | 'none' | readonly Role[];
  /** Registered wall screens may call it: it is part of what the wall shows (read only). */
  displays?: boolean;
  /** Feed keys may call it, for their own feed only (the handler checks which). */
  feedKeys?: boolean;
  /**
   * What it reads or changes is limited to the caller's area scope: rows outside it are left out,
   * and a single resource outside it answers 404. False for what has no place (the catalog, the caller itself).
   */
  scoped: boolean;
  /** Works while a person must change the password an admin set (who am I, change it, sign out). */
  beforePasswordChange?: boolean;
}

/**
 * Who may call a route: `public` (no token: health, sign-in), `metrics` (the metrics token or an
 * address in `METRICS_ALLOW`: /metrics), or a policy for signed-in callers.
 */
export type Access = 'public' | 'metrics' | Policy;

/** Read by the AuthGuard; the OpenAPI security of the route is derived from the same value. */
export const ACCESS = 'cityops:access';

/** Routes without an `@Endpoint` are closed to everyone but admins (and fail the authorization test). */
export const DEFAULT_ACCESS: Access = { users: [], scoped: false };

/** The bearer scheme of the document (`DocumentBuilder.addBearerAuth()`). */
export const BEARER_SCHEME = 'bearer';

/** The metrics token's scheme in the document (`METRICS_TOKEN`, sent as a bearer token). */
export const METRICS_SCHEME = 'metricsToken';

/** The errors a route may answer besides those its access and its dependencies bring. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus | 500 | 503, string> = {
  400: 'The request is not valid; `errors` lists every problem.',
  401: 'Not signed in: no token, or one that is invalid, expired or revoked (on sign-in: wrong credentials).',
  403: 'The token is valid, but it does not allow this.',
  404: 'Not found.',
  409: 'It exists already.',
  413: 'The body is larger than this route accepts (after decompression).',
  415: 'The Content-Type or Content-Encoding is not accepted (for an upload: its content is not of an accepted type).',
  422: 'The body is of an accepted type but cannot be used (e.g. an image that does not decode, or too small).',
  429: 'Too many requests, or too many failed sign-ins from here: `Retry-After` says when to try again.',
  500: 'An unexpected error; the answer says no more, the server log has it under `requestId`.',
  503: 'A service it needs (PostgreSQL, Redis) does not answer; retry later (`Retry-After`).',
};

/** A body other than JSON, or JSON the handler reads itself (streamed, or checked record by record). */
export interface ContentSpec {
  schema: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
  description?: string;
  /** Response headers the answer carries (e.g. which resolution a history answer has). */
  headers?: ResponseObject['headers'];
  /** The same answer in further content types, chosen by the request (Open311: `.json` or `.xml`). */
  alsoAs?: Record<string, z.ZodType>;
}

export interface EndpointOptions {
  summary: string;
  description?: string;
  access: Access;
  /** The success answer: its schema (JSON), or its content type and schema. */
  ok: z.ZodType | ContentSpec;
  /** Status of the success answer, also the status the handler answers with. Default 200. */
  status?: 200 | 201;
  /** Problems the route itself may answer; 401/403 follow from `access`, 503 from `needsServices`, 500 from any route. */
  errors?: ProblemStatus[];
  /** False for the few routes that answer from the process alone (no database, no Redis). */
  needsServices?: boolean;
  /**
   * A request body the handler reads itself instead of through `@Body({ schema })`, by content
   * type: described in the document, neither parsed nor validated by Nest.
   */
  reads?: { description: string; content: Record<string, z.ZodType> };
  /**
   * A public route that says more to the metrics token or an allowed address (the health
   * report): the document lists that token as optional security.
   */
  detailWith?: 'metrics';
  /**
   * What every problem of the route is answered with, by content type, instead of problem+json:
   * for a protocol with an error format of its own (Open311's `[{code, description}]`).
   */
  errorContent?: Record<string, z.ZodType>;
  /** Further answers that are not problems (e.g. the 503 of the health check carries its report). */
  alsoAnswers?: Partial<Record<number, ContentSpec & { description: string }>>;
}

/** The policy as the document states it. */
export function policyText(policy: Policy): string {
  const users =
    policy.users === 'any'
      ? 'any signed-in user'
      : policy.users === 'none'
        ? null
        : `users with role ${['admin', ...policy.users].join(', ')}`;
  const callers = [users, policy.displays ? 'display devices' : null, policy.feedKeys ? 'the key of that feed' : null].filter(Boolean);
  return `Who: ${callers.join('; ')}.${policy.scoped ? ' Limited to the caller’s area scope (404 outside it).' : ''}`;
}

function isContentSpec(ok: z.ZodType | ContentSpec): ok is ContentSpec {
  return 'schema' in ok && !('~standard' in ok);
}

/** 429 and 503 say when to come back. */
const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' as const, minimum: 0 } },
};

/** A problem answer as the document states it. */
export function problemResponse(status: keyof typeof PROBLEM_DESCRIPTIONS, errorContent?: Record<string, z.ZodType>): ResponseObject {
  const content = errorContent ?? { 'application/problem+json': problemDetailsSchema };
  return {
    description: PROBLEM_DESCRIPTIONS[status],
    ...(status === 429 || status === 503 ? { headers: RETRY_AFTER_HEADER } : {}),
    content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema: apiSchemas.schema(schema, 'output') }])),
  };
}

function problemAnswer(status: keyof typeof PROBLEM_DESCRIPTIONS, errorContent?: Record<string, z.ZodType>) {
  return ApiResponse({ status, ...problemResponse(status, errorContent) });
}

function answer(status: number, spec: ContentSpec, description: string) {
  return ApiResponse({
    status,
    description: spec.description ?? description,
    ...(spec.headers ? { headers: spec.headers } : {}),
    content: {
      [spec.contentType ?? 'application/json']: { schema: apiSchemas.schema(spec.schema, 'output') },
      ...Object.fromEntries(
        Object.entries(spec.alsoAs ?? {}).map(([type, schema]) => [type, { schema: apiSchemas.schema(schema, 'output') }]),
      ),
    },
  });
}

/**
 * One decorator per handler for what a client and the guard must agree on: who may call it, what
 * it answers (success and problems) and, for bodies Nest does not parse, what it reads. Access
 * control and the document's security come from the same `access`, so a route cannot be public
 * for one and closed for the other.
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const { access, status = 200, needsServices = true } = options;
  const ok = isContentSpec(options.ok) ? options.ok : { schema: options.ok };
  const problems = new Set<keyof typeof PROBLEM_DESCRIPTIONS>([
    ...(options.errors ?? []),
    ...(access === 'public' ? [] : ([401] as const)),
    ...(typeof access === 'string' ? [] : ([403] as const)),
    ...(typeof access !== 'string' && access.scoped ? ([404] as const) : []),
    500,
    ...(needsServices ? ([503] as const) : []),
  ]);
  const extra = Object.entries(options.alsoAnswers ?? {}).flatMap(([code, spec]) => (spec ? [{ code: Number(code), spec }] : []));
  const roles = typeof access === 'string' ? '' : ` ${policyText(access)}`;
  return applyDecorators(
    SetMetadata(ACCESS, access),
    HttpCode(status),
    ApiOperation({
      summary: options.summary,
      ...(options.description || roles ? { description: `${options.description ?? ''}${roles}`.trim() } : {}),
      security:
        access !== 'public'
          ? [{ [access === 'metrics' ? METRICS_SCHEME : BEARER_SCHEME]: [] }]
          : options.detailWith
            ? [{}, { [METRICS_SCHEME]: [] }]
            : [],
      ...(options.reads
        ? {
            requestBody: {
              required: true,
              description: options.reads.description,
              content: Object.fromEntries(
                Object.entries(options.reads.content).map(([type, schema]) => [type, { schema: apiSchemas.schema(schema, 'input') }]),
              ),
            },
          }
        : {}),
    }),
    answer(status, ok, status === 201 ? 'Created.' : 'OK.'),
    ...[...problems].filter((p) => !extra.some((e) => e.code === p)).map((p) => problemAnswer(p, options.errorContent)),
    ...extra.map(({ code, spec }) => answer(code, spec, spec.description)),
  );
}
