import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PublicCaseService } from '@cityops/cases';
import {
  CASE_PHOTO_MIME_TYPES,
  casePhotoBytesSchema,
  publicCasePhotoParamsSchema,
  publicCasePhotoQuerySchema,
  publicCasePhotoSchema,
  publicCaseTokenParamsSchema,
  publicCaseViewSchema,
  publicFileCaseSchema,
  publicFiledCaseSchema,
  publicGridCodeSchema,
  publicRatingSchema,
  publicReportContextQuerySchema,
  publicReportContextSchema,
  type PublicCasePhoto,
  type PublicCasePhotoParams,
  type PublicCasePhotoQuery,
  type PublicCaseTokenParams,
  type PublicCaseView,
  type PublicFileCaseRequest,
  type PublicFiledCase,
  type PublicRatingRequest,
  type PublicReportContext,
  type PublicReportContextQuery,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { OriginOf } from '../basemap/origin.decorator';
import { Endpoint } from '../http/endpoint.decorator';

/** The client's address as `trust proxy` allows it (TRUSTED_PROXIES): what the public budgets count by. */
const addressOf = (req: Request): string => req.ip ?? 'unknown';

/**
 * The citizen's report page and follow page, without an account (`access: 'public'`): a grid's
 * QR code opens `/report?grid=<code>`; a report answers the token its reporter follows the case
 * by. Reports and photos are counted per client address.
 */
@ApiTags('public')
@Controller('public')
export class PublicCasesController {
  constructor(private readonly publicCases: PublicCaseService) {}

  @Get('report-context')
  @Endpoint({
    summary: 'What the report page of a grid’s QR code needs',
    description:
      'The grid’s names, its district, a point inside it, and the categories in use by group (the enterprise group with its promise).',
    access: 'public',
    ok: publicReportContextSchema,
    errors: [400, 404],
  })
  getPublicReportContext(
    @Query({ schema: publicReportContextQuerySchema }) { grid }: PublicReportContextQuery,
  ): Promise<PublicReportContext> {
    return this.publicCases.context(grid);
  }

  @Post('cases')
  @Endpoint({
    summary: 'Report a problem without an account (a citizen, or an enterprise: 企业呼)',
    description:
      'Placed at `location` (the phone’s position), else inside the QR code’s grid; any place in the city is taken and the case ' +
      'falls in the grid under it. A category of the enterprise group needs `enterprise` (name and 统一社会信用代码) and is ' +
      'filed as an enterprise request with its 24-hour promise. Filed, routed and numbered like any case. At most ' +
      '`RATE_LIMIT_PUBLIC_REPORTS_PER_10_MINUTES` reports (default 5) per client address in 10 minutes (a refused form does not ' +
      'count): 429 beyond. The answer’s token is the only way to follow the case: keep it.',
    access: 'public',
    ok: publicFiledCaseSchema,
    status: 201,
    errors: [400, 429],
  })
  filePublicCase(@Body({ schema: publicFileCaseSchema }) body: PublicFileCaseRequest, @Req() req: Request): Promise<PublicFiledCase> {
    return this.publicCases.file(body, addressOf(req));
  }

  @Get('cases/:token')
  @Endpoint({
    summary: 'A case as its reporter follows it',
    description:
      'Its public timeline (no internal notes; who acted as a role or a department, never a name), deadlines, photos, rating and, ' +
      'for an enterprise request, its promise (kept, missed or still running). A case merged as a duplicate answers the case it ' +
      'was merged into, saying so.',
    access: 'public',
    ok: publicCaseViewSchema,
    errors: [400, 404],
  })
  getPublicCase(@Param({ schema: publicCaseTokenParamsSchema }) { token }: PublicCaseTokenParams): Promise<PublicCaseView> {
    return this.publicCases.view(token);
  }

  @Post('cases/:token/photos')
  @Endpoint({
    summary: 'Add a photo of the problem to one’s report',
    description:
      'The body is the image itself (JPEG, PNG or WebP, at most 10 MB, its type told by its content). Only while the case waits ' +
      'to be taken on (received or dispatched: 409 after). At most `RATE_LIMIT_PUBLIC_PHOTOS_PER_10_MINUTES` (default 20) per ' +
      'client address in 10 minutes.',
    access: 'public',
    reads: {
      description: 'The image bytes.',
      content: Object.fromEntries(CASE_PHOTO_MIME_TYPES.map((type) => [type, casePhotoBytesSchema])),
    },
    ok: publicCasePhotoSchema,
    status: 201,
    errors: [400, 404, 409, 413, 415, 422, 429],
  })
  uploadPublicCasePhoto(
    @Param({ schema: publicCaseTokenParamsSchema }) { token }: PublicCaseTokenParams,
    @Req() req: Request,
  ): Promise<PublicCasePhoto> {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.publicCases.addPhoto(token, bytes, addressOf(req));
  }

  @Get('cases/:token/photos/:id')
  @Endpoint({
    summary: 'A photo of one’s case: one’s own, or one of the fix',
    access: 'public',
    ok: { schema: casePhotoBytesSchema, contentType: 'image/*' },
    errors: [400, 404],
  })
  async getPublicCasePhoto(
    @Param({ schema: publicCasePhotoParamsSchema }) { token, id }: PublicCasePhotoParams,
    @Query({ schema: publicCasePhotoQuerySchema }) query: PublicCasePhotoQuery,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.publicCases.photo(token, id, query.size);
    res.setHeader('Content-Type', photo.mime);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(photo.bytes);
  }

  @Post('cases/:token/rating')
  @Endpoint({
    summary: 'Rate a case verified on site, which closes it',
    description:
      'The reporter’s close (the token’s holder is the reporter): only once the fix is verified (409 before or after). Counted ' +
      'per client address with the photos’ limit.',
    access: 'public',
    ok: publicCaseViewSchema,
    errors: [400, 404, 409, 429],
  })
  ratePublicCase(
    @Param({ schema: publicCaseTokenParamsSchema }) { token }: PublicCaseTokenParams,
    @Body({ schema: publicRatingSchema }) body: PublicRatingRequest,
    @Req() req: Request,
  ): Promise<PublicCaseView> {
    return this.publicCases.rate(token, body, addressOf(req));
  }
}

const areaCodeParamsSchema = z.object({ code: publicGridCodeSchema });
type AreaCodeParams = z.output<typeof areaCodeParamsSchema>;

/** Posters for grids: the command centre prints them, the public scans them. */
@ApiTags('areas')
@Controller('areas')
export class ReportQrController {
  constructor(private readonly publicCases: PublicCaseService) {}

  @Get(':code/report-qr.svg')
  @Endpoint({
    summary: 'A grid’s QR code poster (SVG) for the public report page',
    description:
      'Encodes `<PUBLIC_BASE_URL or the request’s origin>/report?grid=<code>`, with the grid’s and its district’s names under it. ' +
      'For grids in the caller’s areas (404 otherwise, and for an area that is not a grid).',
    access: { users: ['commander', 'operator'], scoped: true },
    ok: { schema: z.string().meta({ description: 'An SVG image.' }), contentType: 'image/svg+xml' },
    errors: [400, 404],
  })
  async getGridReportQr(
    @Param({ schema: areaCodeParamsSchema }) { code }: AreaCodeParams,
    @CurrentPrincipal() principal: Principal,
    @OriginOf() origin: string,
    @Res() res: Response,
  ): Promise<void> {
    const { svg } = await this.publicCases.reportQr(code, scopeRoots(principal.scope), origin);
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="report-qr-${code}.svg"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(svg);
  }
}
