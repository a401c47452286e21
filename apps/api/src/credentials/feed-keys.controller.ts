import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  createFeedKeySchema,
  credentialIdParamsSchema,
  feedKeySecretSchema,
  feedKeyViewSchema,
  listFeedKeysQuerySchema,
  type CreateFeedKeyRequest,
  type CredentialIdParams,
  type FeedKeySecret,
  type FeedKeyView,
  type ListFeedKeysQuery,
} from '@cityops/contracts';
import { MachineCredentialsService, type Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const ADMINS = { users: ['admin'], scoped: false } as const;

/** Keys that outside systems push to one feed with; admins hand them out and take them back. */
@ApiTags('feed-keys')
@Controller('feed-keys')
export class FeedKeysController {
  constructor(private readonly credentials: MachineCredentialsService) {}

  @Get()
  @Endpoint({
    summary: 'Feed keys, of one feed or all',
    description: 'Never the keys themselves: each shows its prefix, when it was last used, rotated or revoked.',
    access: ADMINS,
    ok: z.array(feedKeyViewSchema),
    errors: [400],
  })
  listFeedKeys(@Query({ schema: listFeedKeysQuerySchema }) query: ListFeedKeysQuery): Promise<FeedKeyView[]> {
    return this.credentials.listFeedKeys(query);
  }

  @Post()
  @Endpoint({
    summary: 'Create a key for a feed',
    description:
      'The answer holds the key this once (stored only as a hash). An outside system sends it as `Authorization: Bearer <key>` ' +
      'to `POST /api/feeds/{key}/records` or `PUT /api/feeds/{key}/entities` of that feed; it can read nothing. ' +
      'A feed has at most one active key of a name (409).',
    access: ADMINS,
    ok: feedKeySecretSchema,
    status: 201,
    errors: [400, 409, 413],
  })
  createFeedKey(
    @Body({ schema: createFeedKeySchema }) body: CreateFeedKeyRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<FeedKeySecret> {
    return this.credentials.createFeedKey(body, actor);
  }

  @Post(':id/rotate')
  @Endpoint({
    summary: 'Give a key a new secret',
    description:
      'The answer holds the new key this once. The old one stops working at once (on every API process within ' +
      '`SESSION_CHECK_SECONDS`). A revoked key cannot be rotated (409).',
    access: ADMINS,
    ok: feedKeySecretSchema,
    errors: [400, 404, 409],
  })
  rotateFeedKey(
    @Param({ schema: credentialIdParamsSchema }) { id }: CredentialIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<FeedKeySecret> {
    return this.credentials.rotateFeedKey(id, actor);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Revoke a key',
    description:
      'It stops working at once (on every API process within `SESSION_CHECK_SECONDS`) and stays listed as revoked. Revoking twice is harmless.',
    access: ADMINS,
    ok: feedKeyViewSchema,
    errors: [400, 404],
  })
  revokeFeedKey(
    @Param({ schema: credentialIdParamsSchema }) { id }: CredentialIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<FeedKeyView> {
    return this.credentials.revokeFeedKey(id, actor);
  }
}
