import { AuditTrail, type AuditScope } from './audit-trail';

describe('AuditTrail: the current request’s audit event', () => {
  it('is reachable from everything a request starts, also after awaits', async () => {
    const scope: AuditScope = { requestId: 'r-1', detail: {} };
    await AuditTrail.run(scope, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      AuditTrail.noteChange({ targetType: 'feed', targetId: 'air', before: { v: 1 }, after: { v: 2 } });
      await Promise.resolve();
      AuditTrail.noteDetail({ result: { accepted: 3 } });
    });
    expect(scope).toEqual({
      requestId: 'r-1',
      change: { targetType: 'feed', targetId: 'air', before: { v: 1 }, after: { v: 2 } },
      detail: { result: { accepted: 3 } },
    });
  });

  it('keeps the first before and the last after of several notes, and the target last named', () => {
    const scope: AuditScope = { detail: {} };
    AuditTrail.run(scope, () => {
      AuditTrail.noteChange({ targetType: 'feed', targetId: 'a', before: { step: 0 }, after: { step: 1 } });
      AuditTrail.noteChange({ targetId: 'b', before: { step: 1 }, after: { step: 2 } });
    });
    expect(scope.change).toEqual({ targetType: 'feed', targetId: 'b', before: { step: 0 }, after: { step: 2 } });
  });

  it('is a no-op outside a request (jobs, MQTT, the set-up)', () => {
    expect(AuditTrail.current()).toBeUndefined();
    expect(() => AuditTrail.noteChange({ after: {} })).not.toThrow();
    expect(() => AuditTrail.noteDetail({ a: 1 })).not.toThrow();
  });

  it('keeps requests apart', async () => {
    const scopes: AuditScope[] = [{ detail: {} }, { detail: {} }];
    await Promise.all(
      scopes.map((scope, i) =>
        AuditTrail.run(scope, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5 - i * 4));
          AuditTrail.noteDetail({ i });
        }),
      ),
    );
    expect(scopes.map((s) => s.detail)).toEqual([{ i: 0 }, { i: 1 }]);
  });
});
