import { isIP } from 'node:net';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AUDIT_ACTION, type AuditCsvQuery, type AuditOutcome, type AuditPage, type AuditQuery } from '@cityops/contracts';
import { AuditTrail, logContext, unavailableService } from '@cityops/core';
import { auditCsvHeader, auditCsvLine } from './audit-csv';
import { auditable, auditableText } from './audit-redaction';
import { type AuditFilter, AuditRepository, type AuditRow } from './audit.repository';
import type { Principal } from './principal';

/** Who acted: a principal, someone who named themselves (a failed sign-in), or nobody known. */
export interface AuditActor {
  /** `user`, `display`, `feed` or `anonymous`. */
  kind: string;
  id?: string | null;
  name?: string | null;
  roles?: readonly string[];
}

/** One event to record. Client address and request id default to the current request's. */
export interface AuditEventInput {
  /** A dotted verb: `auth.sign_in`, `auth.sign_in_failed`, `user.update`, `feed.records.push`. */
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor;
  targetType?: string | null;
  targetId?: string | number | null;
  /** The thing before and after a change; secrets are masked here again, whatever the caller passed. */
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown> | null;
  clientAddress?: string | null;
  requestId?: string | null;
  /** When it happened; default now. */
  at?: Date;
}

/** The actor of a principal (the caller a guard found). */
export function actorOf(principal: Principal | undefined): AuditActor {
  return principal
    ? { kind: principal.kind, id: principal.subject, name: principal.username, roles: principal.roles }
    : { kind: 'anonymous' };
}

/** Events written in one statement at most. */
const MAX_BATCH = 500;
/** Rows read per query while a CSV export streams. */
const CSV_BATCH = 1000;

interface Pending {
  row: AuditRow;
  settle: (error?: Error) => void;
}

/**
 * The audit trail (`audit.audit_event`, append-only for the application's role). `record` is what
 * every recorder calls: it queues the event and resolves once it is stored. Events that arrive
 * while a write is under way go together in the next one (group commit), so a burst of requests
 * costs a few statements, and a lone event is written at once, never held back by a timer.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly repo: AuditRepository) {}

  /**
   * Stores one event: resolves once it is stored, rejects when it could not be (the event is then
   * in the error log). Await it where an action must not go unrecorded; otherwise end the chain
   * with `.catch(() => undefined)`, as an unhandled rejection would stop the process.
   */
  record(event: AuditEventInput): Promise<void> {
    const row = this.toRow(event);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.writeSoon();
    });
  }

  /** A page of events, newest first. */
  async page(query: AuditQuery): Promise<AuditPage> {
    const rows = await this.repo.page(filterOf(query), query.limit + 1);
    const events = rows.slice(0, query.limit);
    return { events, nextBefore: rows.length > query.limit ? events[events.length - 1].id : null };
  }

  /** The matching events as CSV text, newest first, read in batches while the caller writes them out. */
  async *csv(query: AuditCsvQuery): AsyncGenerator<string> {
    yield auditCsvHeader();
    const filter = filterOf(query);
    let left = query.limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const rows = await this.repo.page(filter, Math.min(CSV_BATCH, left));
      if (rows.length > 0) yield rows.map(auditCsvLine).join('');
      if (rows.length < Math.min(CSV_BATCH, left)) return;
      left -= rows.length;
      filter.before = rows[rows.length - 1].id;
    }
  }

  /** Waits for what is queued, so that no event of a request answered before is lost by a shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private toRow(e: AuditEventInput): AuditRow {
    // A wrong action name is a bug of the caller: refused here, with the caller on the stack.
    if (!AUDIT_ACTION.test(e.action)) throw new Error(`audit action "${e.action}" is not a dotted verb such as feed.update`);
    const scope = AuditTrail.current();
    const address = e.clientAddress ?? scope?.clientAddress ?? null;
    const detail = auditable(e.detail ?? null);
    return {
      at: (e.at ?? new Date()).toISOString(),
      actor_kind: auditableText(e.actor.kind, 50) ?? 'anonymous',
      actor_id: auditableText(e.actor.id),
      actor_name: auditableText(e.actor.name),
      actor_roles: (e.actor.roles ?? []).flatMap((r) => auditableText(r, 50) ?? []),
      action: e.action,
      target_type: auditableText(e.targetType, 100),
      target_id: auditableText(e.targetId),
      before: auditable(e.before),
      after: auditable(e.after),
      outcome: e.outcome,
      // `inet` takes an address or nothing (a caller may know none: 'unknown').
      client_address: address && isIP(address) ? address : null,
      request_id: auditableText(e.requestId ?? scope?.requestId ?? logContext.getStore()?.requestId, 100),
      detail: detail === null ? null : (detail as Record<string, unknown>),
    };
  }

  private writeSoon(): void {
    if (this.writing) return;
    this.writing = this.writeQueued().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.writeSoon();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.repo.insert(batch.map((p) => p.row));
        for (const p of batch) p.settle();
      } catch (error) {
        await this.writeOneByOne(batch, error);
      }
    }
  }

  /** After a failed batch: each event alone, so that one the database refuses does not take the others with it. */
  private async writeOneByOne(batch: Pending[], batchError: unknown): Promise<void> {
    // With the database away, one by one would fail the same way: each event goes to the log.
    const retry = batch.length > 1 && unavailableService(batchError) === null;
    for (const p of batch) {
      try {
        if (!retry) throw batchError;
        await this.repo.insert([p.row]);
        p.settle();
      } catch (error) {
        this.logger.error({ err: error, event: p.row }, 'audit event not stored');
        p.settle(error instanceof Error ? error : new Error('audit event not stored', { cause: error }));
      }
    }
  }
}

function filterOf(query: AuditQuery | AuditCsvQuery): AuditFilter {
  return {
    actor: query.actor,
    actionPrefix: query.action,
    targetType: query.targetType,
    targetId: query.targetId,
    outcome: query.outcome,
    from: query.from,
    to: query.to,
    before: query.before,
  };
}
