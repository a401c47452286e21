import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { SilenceService } from '@cityops/alerts';
import {
  createSilenceSchema,
  listSilencesQuerySchema,
  silenceIdParamsSchema,
  silenceViewSchema,
  type CreateSilenceRequest,
  type ListSilencesQuery,
  type SilenceIdParams,
  type SilenceView,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const SILENCERS = { users: ['commander', 'operator'], scoped: true } as const;

@ApiTags('alerts')
@Controller('silences')
export class SilencesController {
  constructor(private readonly silences: SilenceService) {}

  @Get()
  @Endpoint({
    summary: 'Silences, those not over first',
    description: 'A caller scoped to part of the city sees the silences on areas of its scope and those covering it from above.',
    access: SILENCERS,
    ok: z.array(silenceViewSchema),
    errors: [400],
  })
  listSilences(
    @Query({ schema: listSilencesQuerySchema }) query: ListSilencesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SilenceView[]> {
    return this.silences.list(query.active, query.limit, scopeRoots(principal.scope));
  }

  @Post()
  @Endpoint({
    summary: 'Silence alerts by indicator, area or theme',
    description:
      'Alerts matching every field given (the area covers the areas inside it) are silenced from `startsAt` to `endsAt`, ' +
      'including one that is stale: they still change and show, but are not notified nor bannered. A caller scoped to part ' +
      'of the city must name an area of its scope (400 naming `areaId` otherwise).',
    access: SILENCERS,
    ok: silenceViewSchema,
    status: 201,
    errors: [400],
  })
  createSilence(
    @Body({ schema: createSilenceSchema }) body: CreateSilenceRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SilenceView> {
    return this.silences.create(body, principal.username, scopeRoots(principal.scope));
  }

  @Delete(':id')
  @Endpoint({
    summary: 'End a silence now',
    description: 'Ending one that is over already is harmless: the answer is the silence as it stands.',
    access: SILENCERS,
    ok: silenceViewSchema,
    errors: [400, 404],
  })
  expireSilence(
    @Param({ schema: silenceIdParamsSchema }) { id }: SilenceIdParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SilenceView> {
    return this.silences.expire(id, principal.username, scopeRoots(principal.scope));
  }
}
