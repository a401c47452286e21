import { Body, Controller, Delete, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CaseService, CaseStatisticsService, filerOf } from '@cityops/cases';
import {
  alertCasesQuerySchema,
  alertIdParamsSchema,
  type AlertCasesQuery,
  type AlertIdParams,
  CASE_PHOTO_MIME_TYPES,
  caseActionRequestSchema,
  caseMapQuerySchema,
  caseMapSchema,
  type CaseMapQuery,
  caseStatisticsQuerySchema,
  caseStatisticsSchema,
  type CaseStatistics,
  type CaseStatisticsQuery,
  caseDuplicateSchema,
  caseDuplicatesQuerySchema,
  splitCaseSchema,
  type CaseDuplicatesQuery,
  type CaseDuplicateView,
  type SplitCaseRequest,
  casePhotoBytesSchema,
  casePhotoParamsSchema,
  casePhotoQuerySchema,
  casePhotoViewSchema,
  uploadCasePhotoQuerySchema,
  type CasePhotoParams,
  type CasePhotoQuery,
  type CasePhotoView,
  type UploadCasePhotoQuery,
  caseCategoryViewSchema,
  caseCodeParamsSchema,
  caseDetailSchema,
  caseNoteSchema,
  casePageSchema,
  createRoutingRuleSchema,
  fileCaseSchema,
  listCasesQuerySchema,
  routingRuleIdParamsSchema,
  routingRuleViewSchema,
  type CaseActionRequest,
  type CaseCategoryView,
  type CaseCodeParams,
  type CaseDetail,
  type CaseNoteRequest,
  type CasePage,
  type CreateRoutingRuleRequest,
  type FileCaseRequest,
  type ListCasesQuery,
  type RoutingRuleIdParams,
  type RoutingRuleView,
} from '@cityops/contracts';
import type { Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { CASE_READERS, CASE_WALL_READERS, CASE_WORKERS, caseCallerOf } from './case-access';

@ApiTags('cases')
@Controller()
export class CasesController {
  constructor(
    private readonly cases: CaseService,
    private readonly statistics: CaseStatisticsService,
  ) {}

  @Get('case-categories')
  @Endpoint({
    summary: 'The case category catalog, by group',
    description: 'Each category with its group and its deadlines in working hours; a group may promise a first answer (企业呼: 24 h).',
    access: { users: 'any', scoped: false },
    ok: z.array(caseCategoryViewSchema),
  })
  listCaseCategories(): Promise<CaseCategoryView[]> {
    return this.cases.categories();
  }

  @Get('case-routing-rules')
  @Endpoint({
    summary: 'Routing rules: category × area → department',
    description: 'The most specific rule wins: the category itself over its group over any category, then the deepest area.',
    access: { users: ['commander', 'operator'], scoped: false },
    ok: z.array(routingRuleViewSchema),
  })
  listRoutingRules(): Promise<RoutingRuleView[]> {
    return this.cases.rules();
  }

  @Post('case-routing-rules')
  @Endpoint({
    summary: 'Add a routing rule',
    description: 'One rule per category and area: 409 when there is one (delete it to change its department).',
    access: { users: ['admin'], scoped: false },
    ok: routingRuleViewSchema,
    status: 201,
    errors: [400, 409],
  })
  createRoutingRule(
    @Body({ schema: createRoutingRuleSchema }) body: CreateRoutingRuleRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RoutingRuleView> {
    return this.cases.createRule(body, principal.username);
  }

  @Delete('case-routing-rules/:id')
  @Endpoint({
    summary: 'Delete a routing rule',
    description: 'Cases it routed keep their department; they show no rule any more. The answer is the rule deleted.',
    access: { users: ['admin'], scoped: false },
    ok: routingRuleViewSchema,
    errors: [400, 404],
  })
  deleteRoutingRule(@Param({ schema: routingRuleIdParamsSchema }) { id }: RoutingRuleIdParams): Promise<RoutingRuleView> {
    return this.cases.deleteRule(id);
  }

  @Get('cases')
  @Endpoint({
    summary: 'Cases, newest first, with filters',
    description:
      'A caller sees the cases in its areas, those of its department wherever they are, and those it filed. ' +
      'Page with `before` = the `next` of the previous answer.',
    access: CASE_READERS,
    ok: casePageSchema,
    errors: [400],
  })
  listCases(@Query({ schema: listCasesQuerySchema }) query: ListCasesQuery, @CurrentPrincipal() principal: Principal): Promise<CasePage> {
    return this.cases.list(query, caseCallerOf(principal));
  }

  @Get('alerts/:id/cases')
  @Endpoint({
    summary: 'The cases filed from an alert',
    description:
      'Newest first, those the caller sees (as `GET /api/cases?alert=`); an alert outside the caller’s areas is not found. ' +
      'Page with `before` = the `next` of the previous answer.',
    access: CASE_READERS,
    ok: casePageSchema,
    errors: [400, 404],
  })
  listAlertCases(
    @Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams,
    @Query({ schema: alertCasesQuerySchema }) query: AlertCasesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CasePage> {
    return this.cases.ofAlert(id, query, caseCallerOf(principal));
  }

  @Post('cases')
  @Endpoint({
    summary: 'File a case',
    description:
      'The case falls in the grid under its location (inside the caller’s areas), is numbered by district and day, and is routed ' +
      'by the most specific rule: a match dispatches it with its accept deadline, otherwise it waits for the command centre. ' +
      'A retry with the same `clientRequestId` answers the case the first attempt filed. With `alertId` (an alert in the ' +
      'caller’s areas) the case’s source is `alert` and the alert’s history names the case.',
    access: CASE_WORKERS,
    ok: caseDetailSchema,
    status: 201,
    errors: [400],
  })
  async fileCase(@Body({ schema: fileCaseSchema }) body: FileCaseRequest, @CurrentPrincipal() principal: Principal): Promise<CaseDetail> {
    const source = body.alertId ? 'alert' : principal.roles.includes('grid_worker') ? 'grid_worker' : 'staff';
    const filed = await this.cases.file(body, filerOf(caseCallerOf(principal)), source);
    return this.cases.get(filed.code, caseCallerOf(principal));
  }

  @Get('cases/map')
  @Endpoint({
    summary: 'Cases as GeoJSON points for a map layer',
    description:
      'Open cases by default (or the states asked for) inside `bbox`, newest first, with whether the stage is overdue and the ' +
      'supervision (督办) level; `truncated` says more matched than `limit`. The caller’s sight only (a display’s: its areas).',
    access: CASE_WALL_READERS,
    ok: caseMapSchema,
    errors: [400],
  })
  async caseMap(
    @Query({ schema: caseMapQuerySchema }) query: CaseMapQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    // Sent as PostgreSQL wrote it: thousands of points are not parsed and written again here, nor
    // hashed for an ETag (`send` would; clients ask again after a change, never conditionally).
    res.type('application/json').end(await this.cases.mapLayer(query, caseCallerOf(principal)));
  }

  @Get('cases/statistics')
  @Endpoint({
    summary: 'The loop’s numbers per district, street or department',
    description:
      'For cases filed in the window that the caller sees: volume, open and closed, the share of accept and resolve stages done by ' +
      'their deadline, mean hours to close, mean rating, and for groups with a response promise (企业呼) the share kept. ' +
      'Displays read them too (the wall’s cases panel), within their areas.',
    access: CASE_WALL_READERS,
    ok: caseStatisticsSchema,
    errors: [400],
  })
  caseStatistics(
    @Query({ schema: caseStatisticsQuerySchema }) query: CaseStatisticsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseStatistics> {
    return this.statistics.statistics(query, caseCallerOf(principal));
  }

  @Get('cases/duplicates')
  @Endpoint({
    summary: 'Possible duplicates of a report before it is filed',
    description:
      'Open cases of the category within 100 m of the place, filed in the last 48 hours, that the caller sees, nearest first: ' +
      'shown while reporting, so a second report of the same problem can follow the first instead.',
    access: CASE_READERS,
    ok: z.array(caseDuplicateSchema),
    errors: [400],
  })
  listCaseDuplicates(
    @Query({ schema: caseDuplicatesQuerySchema }) query: CaseDuplicatesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseDuplicateView[]> {
    return this.cases.duplicates(query, caseCallerOf(principal));
  }

  @Post('cases/:code/split')
  @Endpoint({
    summary: 'Split a second problem off a case',
    description:
      'A new case with the same reporter and source, routed on its own; both timelines name the other. For the command centre, ' +
      'on a case in its areas that is not closed, invalid, merged or cancelled.',
    access: CASE_WORKERS,
    ok: caseDetailSchema,
    status: 201,
    errors: [400, 404, 409],
  })
  splitCase(
    @Param({ schema: caseCodeParamsSchema }) { code }: CaseCodeParams,
    @Body({ schema: splitCaseSchema }) body: SplitCaseRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseDetail> {
    return this.cases.split(code, body, caseCallerOf(principal));
  }

  @Get('cases/:code')
  @Endpoint({
    summary: 'A case with its timeline and the actions the caller may take',
    description: 'Internal notes are included: every signed-in caller is staff.',
    access: CASE_READERS,
    ok: caseDetailSchema,
    errors: [400, 404],
  })
  getCase(
    @Param({ schema: caseCodeParamsSchema }) { code }: CaseCodeParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseDetail> {
    return this.cases.get(code, caseCallerOf(principal));
  }

  @Post('cases/:code/actions')
  @Endpoint({
    summary: 'Take an action on a case',
    description:
      'dispatch, reroute, accept, return, start, resolve, verify, reject, close, invalidate, merge, cancel: each only from its states ' +
      '(409), for its roles, department and areas (403), with what it needs (400 naming the field). Written with its timeline entry, ' +
      'and only if the case is still in the state it was decided on (409 otherwise; `expectedState` makes the check explicit).',
    access: CASE_WORKERS,
    ok: caseDetailSchema,
    errors: [400, 403, 404, 409],
  })
  actOnCase(
    @Param({ schema: caseCodeParamsSchema }) { code }: CaseCodeParams,
    @Body({ schema: caseActionRequestSchema }) body: CaseActionRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseDetail> {
    return this.cases.act(code, body, caseCallerOf(principal));
  }

  @Post('cases/:code/photos')
  @Endpoint({
    summary: 'Upload a photo to a case',
    description:
      'The body is the image itself (JPEG, PNG or WebP, at most 10 MB), its type told by its content, not its name. The location ' +
      'in its EXIF is kept, then every piece of metadata is stripped; a thumbnail is made. The photo waits unattached until an ' +
      'action names it in `photoIds` (the after photo of `resolve`). The same image sent again answers the same photo.',
    access: CASE_WORKERS,
    reads: {
      description: 'The image bytes.',
      content: Object.fromEntries(CASE_PHOTO_MIME_TYPES.map((type) => [type, casePhotoBytesSchema])),
    },
    ok: casePhotoViewSchema,
    status: 201,
    errors: [400, 404, 409, 413, 415, 422],
  })
  uploadCasePhoto(
    @Param({ schema: caseCodeParamsSchema }) { code }: CaseCodeParams,
    @Query({ schema: uploadCasePhotoQuerySchema }) query: UploadCasePhotoQuery,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CasePhotoView> {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.cases.addPhoto(code, query.stage, bytes, caseCallerOf(principal));
  }

  /** Fetched with the bearer token and shown from a blob URL, as camera frames are: no token in a URL. */
  @Get('cases/:code/photos/:id')
  @Endpoint({
    summary: 'A case photo: the full size (JPEG) or its thumbnail (WebP)',
    access: CASE_READERS,
    ok: { schema: casePhotoBytesSchema, contentType: 'image/*' },
    errors: [400, 404],
  })
  async getCasePhoto(
    @Param({ schema: casePhotoParamsSchema }) { code, id }: CasePhotoParams,
    @Query({ schema: casePhotoQuerySchema }) query: CasePhotoQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.cases.photoBytes(code, id, query.size, caseCallerOf(principal));
    res.setHeader('Content-Type', photo.mime);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(photo.bytes);
  }

  @Post('cases/:code/notes')
  @Endpoint({
    summary: 'Add a note to a case’s timeline',
    description: 'Internal by default: internal notes are never shown to the reporter.',
    access: CASE_WORKERS,
    ok: caseDetailSchema,
    status: 201,
    errors: [400, 404],
  })
  addCaseNote(
    @Param({ schema: caseCodeParamsSchema }) { code }: CaseCodeParams,
    @Body({ schema: caseNoteSchema }) body: CaseNoteRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CaseDetail> {
    return this.cases.note(code, body, caseCallerOf(principal));
  }
}
