import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  createDisplaySchema,
  credentialIdParamsSchema,
  displaySecretSchema,
  displayViewSchema,
  listDisplaysQuerySchema,
  updateDisplaySchema,
  type CreateDisplayRequest,
  type CredentialIdParams,
  type DisplaySecret,
  type DisplayView,
  type ListDisplaysQuery,
  type UpdateDisplayRequest,
} from '@cityops/contracts';
import { MachineCredentialsService, type Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const ADMINS = { users: ['admin'], scoped: false } as const;

/** Registered wall screens: each with its own token and scope, revocable on its own. */
@ApiTags('displays')
@Controller('displays')
export class DisplaysController {
  constructor(private readonly credentials: MachineCredentialsService) {}

  @Get()
  @Endpoint({
    summary: 'Registered display devices',
    description: 'Never their tokens: each shows its prefix, scope and when it was last seen.',
    access: ADMINS,
    ok: z.array(displayViewSchema),
    errors: [400],
  })
  listDisplays(@Query({ schema: listDisplaysQuerySchema }) query: ListDisplaysQuery): Promise<DisplayView[]> {
    return this.credentials.listDisplays(query);
  }

  @Post()
  @Endpoint({
    summary: 'Register a display device',
    description:
      'The answer holds its token this once (stored only as a hash): the wall opens `/wall?kiosk=<token>`, which signs in at ' +
      '`POST /api/auth/kiosk` and renews its session by itself. It reads only what the wall shows, inside its scopes. ' +
      'Active displays have distinct names (409).',
    access: ADMINS,
    ok: displaySecretSchema,
    status: 201,
    errors: [400, 409, 413],
  })
  registerDisplay(
    @Body({ schema: createDisplaySchema }) body: CreateDisplayRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisplaySecret> {
    return this.credentials.registerDisplay(body, actor);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Rename a display device, describe it or change its scopes',
    description:
      'A new scope reaches its open sessions and sockets within `SESSION_CHECK_SECONDS`. A revoked display cannot be changed (409).',
    access: ADMINS,
    ok: displayViewSchema,
    errors: [400, 404, 409, 413],
  })
  async updateDisplay(
    @Param({ schema: credentialIdParamsSchema }) { id }: CredentialIdParams,
    @Body({ schema: updateDisplaySchema }) body: UpdateDisplayRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisplayView> {
    return (await this.credentials.updateDisplay(id, body, actor)).after;
  }

  @Post(':id/rotate')
  @Endpoint({
    summary: 'Give a display device a new token',
    description:
      'The answer holds the new token this once. Its sessions end (sockets within `SESSION_CHECK_SECONDS`): the wall must be ' +
      'opened again with the new token. A revoked display cannot be rotated (409).',
    access: ADMINS,
    ok: displaySecretSchema,
    errors: [400, 404, 409],
  })
  rotateDisplay(
    @Param({ schema: credentialIdParamsSchema }) { id }: CredentialIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisplaySecret> {
    return this.credentials.rotateDisplay(id, actor);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Revoke a display device',
    description:
      'Its token stops working and its sessions end: requests, refreshes and sockets are refused within `SESSION_CHECK_SECONDS`. ' +
      'It stays listed as revoked. Revoking twice is harmless.',
    access: ADMINS,
    ok: displayViewSchema,
    errors: [400, 404],
  })
  revokeDisplay(
    @Param({ schema: credentialIdParamsSchema }) { id }: CredentialIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DisplayView> {
    return this.credentials.revokeDisplay(id, actor);
  }
}
