import { Injectable } from '@nestjs/common';
import type { CreateSilenceRequest, SilenceView } from '@cityops/contracts';
import { AuditTrail, ValidationError } from '@cityops/core';
import { AreaDirectory, type ScopeRoots } from '@cityops/geo';
import { IndicatorService } from '@cityops/indicators';
import { SilenceNotFoundError } from './alert.exception';
import { SilenceRepository, type SilenceScope, type StoredSilence } from './silence.repository';

/**
 * Silences: alerts they cover still change and are published (with `silencedBy`), but are not
 * notified nor bannered. Whether an alert is covered is decided when it is read, so a silence
 * takes effect, and ends, without touching the alerts.
 */
@Injectable()
export class SilenceService {
  constructor(
    private readonly silences: SilenceRepository,
    private readonly areas: AreaDirectory,
    private readonly indicators: IndicatorService,
  ) {}

  /**
   * A caller scoped to part of the city silences inside its scope only: it must name an area
   * there. An area outside the scope is refused exactly as one that does not exist.
   */
  async create(body: CreateSilenceRequest, actor: string, scope: ScopeRoots): Promise<SilenceView> {
    const errors: { path: string; message: string }[] = [];
    if (body.areaId === undefined && scope !== null)
      errors.push({ path: 'areaId', message: 'required: your scope is not the whole city, so a silence must name an area in it' });
    if (body.areaId !== undefined && !(await this.areaInScope(body.areaId, scope)))
      errors.push({ path: 'areaId', message: scope === null ? 'no such area' : 'no such area in your scope' });
    if (body.indicatorKey !== undefined && !(await this.indicators.definition(body.indicatorKey).catch(() => null)))
      errors.push({ path: 'indicatorKey', message: 'no such indicator' });
    if (errors.length) throw new ValidationError(errors);
    const created = await this.view(
      await this.silences.insert({
        indicatorKey: body.indicatorKey ?? null,
        areaId: body.areaId ?? null,
        theme: body.theme ?? null,
        startsAt: body.startsAt ? new Date(body.startsAt) : new Date(),
        endsAt: new Date(body.endsAt),
        reason: body.reason,
        createdBy: actor,
      }),
    );
    AuditTrail.noteChange({ targetType: 'silence', targetId: created.id, before: null, after: created });
    return created;
  }

  async list(active: boolean | undefined, limit: number, scope: ScopeRoots): Promise<SilenceView[]> {
    const stored = await this.silences.list(active, limit, await this.silenceScope(scope));
    const areas = await this.areas.byIds(stored.flatMap((s) => (s.areaId === null ? [] : [s.areaId])));
    return stored.map((s) => ({ ...s, areaCode: s.areaId === null ? null : (areas.get(s.areaId)?.code ?? null) }));
  }

  /** Ends a silence now; ending one that is over already is harmless (the answer is the silence as it stands). */
  async expire(id: string, actor: string, scope: ScopeRoots): Promise<SilenceView> {
    const done = await this.silences.expire(id, actor, scope);
    if (!done) throw new SilenceNotFoundError(id);
    const [before, after] = await Promise.all([this.view(done.before), this.view(done.after)]);
    AuditTrail.noteChange({ targetType: 'silence', targetId: id, before, after });
    return after;
  }

  private async areaInScope(areaId: number, scope: ScopeRoots): Promise<boolean> {
    if (scope === null) return (await this.areas.byIds([areaId])).has(areaId);
    return (await this.areas.scopeAreaIds(scope)).has(areaId);
  }

  /** The scope's roots and every area they lie in (a silence there covers the scope from above). */
  private async silenceScope(scope: ScopeRoots): Promise<SilenceScope> {
    if (scope === null) return { roots: null, above: [] };
    const roots = await this.areas.byIds(scope);
    return { roots: scope, above: [...new Set([...roots.values()].flatMap((r) => r.path))] };
  }

  private async view(s: StoredSilence): Promise<SilenceView> {
    const area = s.areaId === null ? undefined : (await this.areas.byIds([s.areaId])).get(s.areaId);
    return { ...s, areaCode: area?.code ?? null };
  }
}
