import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { searchHitSchema, searchQuerySchema, type SearchHit, type SearchQuery } from '@cityops/contracts';
import { EntityService } from '@cityops/feeds';
import { AreaService } from '@cityops/geo';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

/** The map's search box: areas by name or code, then located entities by name or id, in the caller's scope. */
@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(
    private readonly areas: AreaService,
    private readonly entities: EntityService,
  ) {}

  @Get()
  @Endpoint({
    summary: 'Areas (name or code) and located entities (name or id) matching a text',
    description:
      'Case-insensitive substring match; exact matches first. Areas come before entities, at most `limit` of each kind, ' +
      'only those in the caller’s area scope.',
    access: { users: 'any', scoped: true },
    ok: z.array(searchHitSchema),
    errors: [400],
  })
  async search(@Query({ schema: searchQuerySchema }) query: SearchQuery, @CurrentPrincipal() principal: Principal): Promise<SearchHit[]> {
    const scope = scopeRoots(principal.scope);
    const [areas, entities] = await Promise.all([
      this.areas.search(query.q, query.limit, scope),
      this.entities.search(query.q, query.limit, scope),
    ]);
    return [...areas, ...entities];
  }
}
