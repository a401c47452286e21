import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  auditCsvQuerySchema,
  auditCsvSchema,
  auditPageSchema,
  auditQuerySchema,
  type AuditCsvQuery,
  type AuditPage,
  type AuditQuery,
} from '@cityops/contracts';
import { AuditService } from '@cityops/identity';
import { Endpoint } from '../http/endpoint.decorator';

/** The audit trail, for admins: a page at a time, or every matching event as CSV. */
@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit')
  @Endpoint({
    summary: 'Audit events, newest first',
    description:
      'Every write (success, refusal or failure), sign-in and token event. Filters combine; `action` matches a prefix (`feed.`), ' +
      '`from` is inclusive and `to` exclusive. The next page: `before` = the answer’s `nextBefore`.',
    access: { users: ['admin'], scoped: false },
    ok: auditPageSchema,
    errors: [400],
  })
  listAuditEvents(@Query({ schema: auditQuerySchema }) query: AuditQuery): Promise<AuditPage> {
    return this.audit.page(query);
  }

  @Get('audit.csv')
  @Endpoint({
    summary: 'Audit events as CSV, newest first',
    description:
      'The filters of `GET /api/audit`; every matching event (or the first `limit`), streamed. UTF-8 with a byte-order mark; ' +
      'cells that could start a spreadsheet formula are prefixed with an apostrophe.',
    access: { users: ['admin'], scoped: false },
    ok: { schema: auditCsvSchema, contentType: 'text/csv' },
    errors: [400],
  })
  exportAuditEvents(@Query({ schema: auditCsvQuerySchema }) query: AuditCsvQuery): StreamableFile {
    return new StreamableFile(Readable.from(this.audit.csv(query)), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="cityops-audit.csv"',
    });
  }
}
