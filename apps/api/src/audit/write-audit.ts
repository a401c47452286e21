import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuditOutcome } from '@cityops/contracts';
import { AuditTrail, type AuditScope } from '@cityops/core';
import { actorOf, type AuditEventInput, type AuditService, type Principal } from '@cityops/identity';
import { auditAction, auditTarget, WRITE_METHODS } from './audit-actions';

type AuditedRequest = Request & { id?: string; principal?: Principal };

/** Sign-in, kiosk sign-in and the like: AuthService records them itself, naming the account tried. */
const SELF_RECORDING = /^\/api\/auth(\/|$)/;

/** 401 and 403 say who may not; 429 says not now. Every other problem is a failure. */
export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  return status === 401 || status === 403 || status === 429 ? 'denied' : 'failed';
}

/**
 * The audit event of a write request once it is answered, or null for none: no route matched (a
 * 404 of the router, a body refused before routing), a route that records itself, or a request
 * without a valid token turned away (401 with nobody to name: an anonymous flood would otherwise
 * fill a table no one may delete from). Guards' refusals (403, 429) are recorded: the principal
 * is known by then.
 */
export function writeAuditEvent(req: AuditedRequest, res: Response, scope: AuditScope, answered: boolean): AuditEventInput | null {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string' || SELF_RECORDING.test(route)) return null;
  if (!req.principal && res.statusCode === 401) return null;
  const params = { ...(req.params as Record<string, string | undefined>) };
  const target = auditTarget(route, params);
  const change = scope.change;
  const query = req.query as Record<string, unknown>;
  return {
    action: auditAction(req.method, route),
    // A client that left before the answer: what happened is unknown to it, so not a success.
    outcome: answered ? outcomeOf(res.statusCode) : 'failed',
    actor: actorOf(req.principal),
    targetType: change?.targetType ?? target.type,
    targetId: change?.targetId ?? target.id,
    before: change?.before,
    after: change?.after,
    detail: {
      method: req.method,
      route,
      params,
      ...(Object.keys(query).length ? { query } : {}),
      status: res.statusCode,
      ...(answered ? {} : { aborted: 'the client closed the connection before the answer' }),
      ...scope.detail,
    },
    clientAddress: scope.clientAddress,
    requestId: scope.requestId,
  };
}

/**
 * Express middleware (before Nest's router): opens each request's audit scope, so that services
 * can note what they changed (`AuditTrail.noteChange`) and AuthService finds the client's address
 * and request id; for a write, records its event once the answer is sent (or the client left).
 * A middleware, not only an interceptor: guards run before interceptors, and their refusals
 * (403, 429) belong in the trail too. AuditInterceptor adds what only the handler's answer or
 * error knows.
 */
export function auditWrites(audit: AuditService) {
  const logger = new Logger('AuditWrites');
  return (req: AuditedRequest, res: Response, next: NextFunction): void => {
    const scope: AuditScope = { requestId: req.id, clientAddress: req.ip, detail: {} };
    if (WRITE_METHODS.has(req.method)) {
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        try {
          const event = writeAuditEvent(req, res, scope, res.writableFinished);
          // A failure to store is logged with the event by AuditService; the answer is gone already.
          if (event) audit.record(event).catch(() => undefined);
        } catch (error) {
          logger.error({ err: error, path: req.originalUrl }, 'audit event not recorded');
        }
      };
      res.once('finish', record);
      res.once('close', record);
    }
    AuditTrail.run(scope, next);
  };
}
