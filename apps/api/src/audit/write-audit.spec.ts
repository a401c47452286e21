import type { Request, Response } from 'express';
import type { AuditScope } from '@cityops/core';
import { CITY_WIDE, type Principal } from '@cityops/identity';
import { outcomeOf, writeAuditEvent } from './write-audit';

const admin: Principal = {
  kind: 'user',
  subject: 'u-1',
  username: 'admin',
  displayName: '系统管理员',
  roles: ['admin'],
  scope: CITY_WIDE,
  scopeViews: [],
  department: null,
  sessionId: 's-1',
  feedKey: null,
  mustChangePassword: false,
};

function request(over: {
  method?: string;
  route?: string;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  principal?: Principal;
}) {
  return {
    method: over.method ?? 'PUT',
    route: over.route === undefined ? undefined : { path: over.route },
    params: over.params ?? {},
    query: over.query ?? {},
    principal: over.principal,
  } as unknown as Request & { principal?: Principal };
}
const answered = (statusCode: number) => ({ statusCode }) as Response;
const scope = (over: Partial<AuditScope> = {}): AuditScope => ({ requestId: 'r-1', clientAddress: '10.0.0.5', detail: {}, ...over });

describe('the audit event of a write request', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [304, 'success'],
    [401, 'denied'],
    [403, 'denied'],
    [429, 'denied'],
    [400, 'failed'],
    [404, 'failed'],
    [413, 'failed'],
    [500, 'failed'],
    [503, 'failed'],
  ])('calls an answer %i %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });

  it("names the action, the principal, the route's target, and what the services noted", () => {
    const req = request({ route: '/api/feeds/:key', params: { key: 'air' }, query: { dryRun: 'true' }, principal: admin });
    const noted = scope({ change: { before: { name: 'a' }, after: { name: 'b' } }, detail: { problem: { type: 'x' } } });
    expect(writeAuditEvent(req, answered(200), noted, true)).toEqual({
      action: 'feed.update',
      outcome: 'success',
      actor: { kind: 'user', id: 'u-1', name: 'admin', roles: ['admin'] },
      targetType: 'feed',
      targetId: 'air',
      before: { name: 'a' },
      after: { name: 'b' },
      detail: {
        method: 'PUT',
        route: '/api/feeds/:key',
        params: { key: 'air' },
        query: { dryRun: 'true' },
        status: 200,
        problem: { type: 'x' },
      },
      clientAddress: '10.0.0.5',
      requestId: 'r-1',
    });
  });

  it('takes the target a service named over the one of the route (a created thing has its key only then)', () => {
    const req = request({ method: 'POST', route: '/api/feeds', principal: admin });
    const event = writeAuditEvent(req, answered(201), scope({ change: { targetType: 'feed', targetId: 'new-feed', after: {} } }), true);
    expect(event).toMatchObject({ action: 'feed.create', targetType: 'feed', targetId: 'new-feed' });
  });

  it('says so when the client left before the answer', () => {
    const event = writeAuditEvent(request({ route: '/api/scenes/:key', principal: admin }), answered(200), scope(), false);
    expect(event?.outcome).toBe('failed');
    expect(event?.detail?.aborted).toBe('the client closed the connection before the answer');
  });

  it('records nothing for a path no route took, for sign-in routes, or for a 401 without a principal', () => {
    expect(writeAuditEvent(request({ principal: admin }), answered(404), scope(), true)).toBeNull();
    expect(writeAuditEvent(request({ method: 'POST', route: '/api/auth/login' }), answered(200), scope(), true)).toBeNull();
    expect(
      writeAuditEvent(request({ method: 'POST', route: '/api/auth/logout', principal: admin }), answered(204), scope(), true),
    ).toBeNull();
    expect(writeAuditEvent(request({ route: '/api/feeds/:key' }), answered(401), scope(), true)).toBeNull();
    // A public write route answered: recorded, as anonymous.
    expect(writeAuditEvent(request({ method: 'POST', route: '/api/reports' }), answered(201), scope(), true)).toMatchObject({
      action: 'report.create',
      actor: { kind: 'anonymous' },
    });
  });
});
