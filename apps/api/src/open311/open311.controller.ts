import { Body, Controller, createParamDecorator, type ExecutionContext, Get, Ip, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Open311Service, renderOpen311, type XmlValue } from '@cityops/cases';
import {
  open311DiscoverySchema,
  open311ErrorsSchema,
  open311FormatParamsSchema,
  open311ListRequestsQuerySchema,
  open311PostRequestSchema,
  open311RequestCreatedSchema,
  open311RequestParamsSchema,
  open311ServiceDefinitionSchema,
  open311ServiceParamsSchema,
  open311ServiceRequestSchema,
  open311ServiceSchema,
  open311TokenAnswerSchema,
  open311TokenParamsSchema,
  open311XmlSchema,
  type Open311Format,
  type Open311FormatParams,
  type Open311ListRequestsQuery,
  type Open311PostRequest,
  type Open311RequestParams,
  type Open311ServiceParams,
  type Open311TokenParams,
} from '@cityops/contracts';
import { Endpoint } from '../http/endpoint.decorator';

/** Errors as the spec words them, in the format of the path. */
const OPEN311_ERRORS = { 'application/json': open311ErrorsSchema, 'text/xml': open311XmlSchema };

/** The JSON answer and the same in XML (`.xml`). */
const answers = (schema: z.ZodType) => ({ schema, alsoAs: { 'text/xml': open311XmlSchema } });

const STATUS_MAPPING =
  'status is open while the case is reported, dispatched, accepted, in_progress, resolved, verified or returned, and closed once ' +
  'it is closed, invalid, duplicate or cancelled; a request merged into another reports the status of the case it was merged into. ' +
  'status_notes is the latest public comment of the timeline (never an internal note), agency_responsible the department ' +
  'handling it, expected_datetime its resolve deadline. The reporter’s name and contact and the photos are never shown.';

/** The scheme and host the request came to (behind a trusted proxy: the ones it forwarded), for the discovery's URL. */
const RequestBase = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.host}`;
});

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the services and the requests are
 * public to read; filing takes an api_key an admin issued. Every answer is JSON or XML by the
 * path's extension, errors too (the spec's format, not problem+json: Open311ErrorFilter).
 */
@ApiTags('open311')
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  private send(res: Response, format: Open311Format, root: string, body: XmlValue, status = 200): void {
    const answer = renderOpen311(format, root, body);
    res.status(status).type(answer.contentType).send(answer.text);
  }

  @Get('discovery.:format')
  @Endpoint({
    summary: 'Open311 service discovery',
    description: 'Where the GeoReport v2 endpoint is, in which formats it answers, and how to get an api_key.',
    access: 'public',
    ok: answers(open311DiscoverySchema),
    errors: [400],
    needsServices: false,
    errorContent: OPEN311_ERRORS,
  })
  geoReportDiscovery(
    @Param({ schema: open311FormatParamsSchema }) { format }: Open311FormatParams,
    @RequestBase() base: string,
    @Res() res: Response,
  ): void {
    this.send(res, format, 'discovery', this.open311.discovery(base));
  }

  @Get('services.:format')
  @Endpoint({
    summary: 'Open311 services: the case categories in use',
    description: 'One service per enabled case category: service_code is the category key, group the name of its group.',
    access: 'public',
    ok: answers(z.array(open311ServiceSchema)),
    errors: [400],
    errorContent: OPEN311_ERRORS,
  })
  async geoReportServices(
    @Param({ schema: open311FormatParamsSchema }) { format }: Open311FormatParams,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'services', await this.open311.services());
  }

  @Get('services/:service_code.:format')
  @Endpoint({
    summary: 'An Open311 service definition',
    description: 'No service asks extra questions: attributes is empty.',
    access: 'public',
    ok: answers(open311ServiceDefinitionSchema),
    errors: [400, 404],
    errorContent: OPEN311_ERRORS,
  })
  async geoReportServiceDefinition(
    @Param({ schema: open311ServiceParamsSchema }) { service_code, format }: Open311ServiceParams,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'service_definition', await this.open311.serviceDefinition(service_code));
  }

  @Post('requests.:format')
  @Endpoint({
    summary: 'File an Open311 service request (a citizen’s case)',
    description:
      'Form-encoded or JSON, with the api_key an admin issued (400 without one, 403 for an unknown or revoked one). lat and long are ' +
      'required (addresses are not geocoded); the case is filed with source citizen and routed as any other. The answer holds ' +
      'service_request_id (the case code) and token (follows the request without an account). first_name, last_name, email and ' +
      'phone are kept for staff only. media_url is not kept. Limited per client address and per key (429 with Retry-After).',
    access: 'public',
    ok: answers(z.array(open311RequestCreatedSchema)),
    status: 201,
    errors: [400, 403, 413, 415, 429],
    errorContent: OPEN311_ERRORS,
    reads: {
      description: 'The GeoReport v2 fields, form-encoded or as a JSON object.',
      content: { 'application/x-www-form-urlencoded': open311PostRequestSchema, 'application/json': open311PostRequestSchema },
    },
  })
  async geoReportPostRequest(
    @Param({ schema: open311FormatParamsSchema }) { format }: Open311FormatParams,
    @Body({ schema: open311PostRequestSchema }) body: Open311PostRequest,
    @Ip() address: string,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'service_requests', await this.open311.file(body, address), 201);
  }

  @Get('requests.:format')
  @Endpoint({
    summary: 'Open311 service requests, newest first',
    description:
      'Filters: service_request_id (comma separated; overrides the others), service_code, start_date and end_date (on ' +
      'requested_datetime; without dates the last 90 days), status (open, closed). At most 1000. ' +
      STATUS_MAPPING,
    access: 'public',
    ok: answers(z.array(open311ServiceRequestSchema)),
    errors: [400],
    errorContent: OPEN311_ERRORS,
  })
  async geoReportRequests(
    @Param({ schema: open311FormatParamsSchema }) { format }: Open311FormatParams,
    @Query({ schema: open311ListRequestsQuerySchema }) query: Open311ListRequestsQuery,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'service_requests', await this.open311.requests(query));
  }

  @Get('requests/:service_request_id.:format')
  @Endpoint({
    summary: 'One Open311 service request',
    description: `A list of one, as the spec answers. ${STATUS_MAPPING}`,
    access: 'public',
    ok: answers(z.array(open311ServiceRequestSchema)),
    errors: [400, 404],
    errorContent: OPEN311_ERRORS,
  })
  async geoReportRequest(
    @Param({ schema: open311RequestParamsSchema }) { service_request_id, format }: Open311RequestParams,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'service_requests', await this.open311.request(service_request_id));
  }

  @Get('tokens/:token.:format')
  @Endpoint({
    summary: 'The Open311 service request a token follows',
    access: 'public',
    ok: answers(z.array(open311TokenAnswerSchema)),
    errors: [400, 404],
    errorContent: OPEN311_ERRORS,
  })
  async geoReportToken(
    @Param({ schema: open311TokenParamsSchema }) { token, format }: Open311TokenParams,
    @Res() res: Response,
  ): Promise<void> {
    this.send(res, format, 'service_requests', await this.open311.token(token));
  }
}
