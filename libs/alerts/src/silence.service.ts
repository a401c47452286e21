import { Injectable } from '@nestjs/common';
import type { CreateSilenceRequest, SilenceView } from '@cityops/contracts';
import { AuditTrail, ValidationError } from '@cityops/core';
import type { ScopeRoots } from '@cityops/geo';
import { SilenceNotFoundError } from './alert.exception';
import { SilenceRepository } from './silence.repository';

/**
 * Silences: alerts they cover still change and are published (with `silencedBy`), but are not
 * notified nor bannered. Whether an alert is covered is decided when it is read, so a silence
 * takes effect, and ends, without touching the alerts.
 */
@Injectable()
export class SilenceService {
  constructor(private readonly silences: SilenceRepository) {}

  /**
   * A caller scoped to part of the city silences inside its scope only: it must name an area
   * there. An area outside the scope is refused exactly as one that does not exist.
   */
  async create(body: CreateSilenceRequest, actor: string, scope: ScopeRoots): Promise<SilenceView> {
    const errors: { path: string; message: string }[] = [];
    if (body.areaId === undefined && scope !== null)
      errors.push({ path: 'areaId', message: 'required: your scope is not the whole city, so a silence must name an area in it' });
    if (body.areaId !== undefined && !(await this.silences.areaInScope(body.areaId, scope)))
      errors.push({ path: 'areaId', message: scope === null ? 'no such area' : 'no such area in your scope' });
    if (body.indicatorKey !== undefined && !(await this.silences.indicatorExists(body.indicatorKey)))
      errors.push({ path: 'indicatorKey', message: 'no such indicator' });
    if (errors.length) throw new ValidationError(errors);
    const created = await this.silences.insert({
      indicatorKey: body.indicatorKey ?? null,
      areaId: body.areaId ?? null,
      theme: body.theme ?? null,
      startsAt: body.startsAt ? new Date(body.startsAt) : new Date(),
      endsAt: new Date(body.endsAt),
      reason: body.reason,
      createdBy: actor,
    });
    AuditTrail.noteChange({ targetType: 'silence', targetId: created.id, before: null, after: created });
    return created;
  }

  list(active: boolean | undefined, limit: number, scope: ScopeRoots): Promise<SilenceView[]> {
    return this.silences.list(active, limit, scope);
  }

  /** Ends a silence now; ending one that is over already is harmless (the answer is the silence as it stands). */
  async expire(id: string, actor: string, scope: ScopeRoots): Promise<SilenceView> {
    const done = await this.silences.expire(id, actor, scope);
    if (!done) throw new SilenceNotFoundError(id);
    AuditTrail.noteChange({ targetType: 'silence', targetId: id, before: done.before, after: done.after });
    return done.after;
  }
}
