import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Open311Service } from '@cityops/cases';
import {
  createOpen311KeySchema,
  open311KeyIdParamsSchema,
  open311KeySecretSchema,
  open311KeyViewSchema,
  type CreateOpen311KeyRequest,
  type Open311KeyIdParams,
  type Open311KeySecret,
  type Open311KeyView,
} from '@cityops/contracts';
import type { Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const ADMINS = { users: ['admin'], scoped: false } as const;

/** The api_keys Open311 applications file citizens' requests with; admins hand them out and take them back. */
@ApiTags('open311')
@Controller('open311-keys')
export class Open311KeysController {
  constructor(private readonly open311: Open311Service) {}

  @Get()
  @Endpoint({
    summary: 'Open311 API keys',
    description: 'Never the keys themselves: each shows its prefix, when it was last used or revoked.',
    access: ADMINS,
    ok: z.array(open311KeyViewSchema),
  })
  listGeoReportKeys(): Promise<Open311KeyView[]> {
    return this.open311.listKeys();
  }

  @Post()
  @Endpoint({
    summary: 'Issue an Open311 API key',
    description:
      'The answer holds the key this once (stored only as a hash). An application sends it as `api_key` to ' +
      '`POST /open311/v2/requests.json|xml`; reading needs no key. One active key per name (409).',
    access: ADMINS,
    ok: open311KeySecretSchema,
    status: 201,
    errors: [400, 409],
  })
  createGeoReportKey(
    @Body({ schema: createOpen311KeySchema }) body: CreateOpen311KeyRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<Open311KeySecret> {
    return this.open311.createKey(body, actor.username);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Revoke an Open311 API key',
    description: 'It stops working at once and stays listed as revoked; requests filed with it stay. Revoking twice is harmless.',
    access: ADMINS,
    ok: open311KeyViewSchema,
    errors: [400, 404],
  })
  revokeGeoReportKey(
    @Param({ schema: open311KeyIdParamsSchema }) { id }: Open311KeyIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<Open311KeyView> {
    return this.open311.revokeKey(id, actor.username);
  }
}
