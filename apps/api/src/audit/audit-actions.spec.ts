import { AUDIT_ACTION } from '@cityops/contracts';
import { auditAction, auditTarget, isCountedRoute } from './audit-actions';

describe('audit action names of write routes', () => {
  it.each([
    ['POST', '/api/feeds', 'feed.create'],
    ['PUT', '/api/feeds/:key', 'feed.update'],
    ['PATCH', '/api/users/:id', 'user.update'],
    ['DELETE', '/api/tokens/:id', 'token.delete'],
    ['POST', '/api/feeds/:key/records', 'feed.records.push'],
    ['PUT', '/api/feeds/:key/entities', 'feed.entities.push'],
    ['POST', '/api/feeds/:key/rejected/replay', 'feed.rejected.replay'],
    ['POST', '/api/alerts/:id/ack', 'alert.ack'],
    ['POST', '/api/areas/import', 'area.import'],
    ['PUT', '/api/scenes/:key', 'scene.update'],
    ['POST', '/api/users/:id/password', 'user.password_reset'],
    ['POST', '/api/feed-keys/:id/rotate', 'feed_key.rotate'],
    ['PATCH', '/api/displays/:id', 'display.update'],
    ['POST', '/api/users/:id/reset-password', 'user.reset_password'],
    ['DELETE', '/api/users/:id/sessions/:session', 'user.sessions.delete'],
    ['POST', '/api/categories', 'category.create'],
    ['POST', '/api', 'api.create'],
    ['POST', '/api/3d-scenes', 'n3d_scene.create'],
  ])('names %s %s %s', (method, route, action) => {
    expect(auditAction(method, route)).toBe(action);
    expect(action).toMatch(AUDIT_ACTION);
  });

  it('takes the target from the resource and its first parameter', () => {
    expect(auditTarget('/api/feeds/:key/records', { key: 'air' })).toEqual({ type: 'feed', id: 'air' });
    expect(auditTarget('/api/alerts/:id/ack', { id: 'a-1' })).toEqual({ type: 'alert', id: 'a-1' });
    expect(auditTarget('/api/areas/import', {})).toEqual({ type: 'area', id: null });
    expect(auditTarget('/api/feeds', {})).toEqual({ type: 'feed', id: null });
  });

  it('counts the answers of pushes and imports only', () => {
    expect(isCountedRoute('POST', '/api/feeds/:key/records')).toBe(true);
    expect(isCountedRoute('POST', '/api/areas/import')).toBe(true);
    expect(isCountedRoute('POST', '/api/alerts/:id/ack')).toBe(false);
  });
});
