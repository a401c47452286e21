import { AuditTrail, logContext } from '@cityops/core';
import type { AuditFilter, AuditRepository, AuditRow } from './audit.repository';
import { actorOf, AuditService } from './audit.service';
import { CITY_WIDE } from './principal';

/** A repository that holds each insert until the test lets it finish, and can refuse rows. */
class FakeRepository {
  readonly inserts: AuditRow[][] = [];
  private pending: (() => void)[] = [];
  hold = false;
  refuse: (row: AuditRow) => Error | null = () => null;

  insert(rows: AuditRow[]): Promise<void> {
    this.inserts.push(rows);
    const refused = rows.map(this.refuse).find((e) => e !== null);
    if (refused) return Promise.reject(refused);
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve) => this.pending.push(resolve));
  }

  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const resolve of pending) resolve();
  }

  page(_filter: AuditFilter, _limit: number): Promise<never[]> {
    return Promise.resolve([]);
  }
}

const event = (i: number) => ({ action: 'test.event', outcome: 'success' as const, actor: { kind: 'system' }, detail: { i } });
const flush = () => new Promise((resolve) => setImmediate(resolve));

function service() {
  const repo = new FakeRepository();
  return { repo, audit: new AuditService(repo as unknown as AuditRepository) };
}

describe('AuditService.record', () => {
  it('writes a lone event at once, and the events that arrive meanwhile together in the next statement', async () => {
    const { repo, audit } = service();
    repo.hold = true;
    const first = audit.record(event(0));
    const burst = Array.from({ length: 50 }, (_, i) => audit.record(event(i + 1)));
    await flush();
    expect(repo.inserts.map((rows) => rows.length)).toEqual([1]);
    repo.release();
    await first;
    await flush();
    expect(repo.inserts.map((rows) => rows.length)).toEqual([1, 50]);
    repo.release();
    await Promise.all(burst);
    expect(repo.inserts.flat().map((r) => (r.detail as { i: number }).i)).toEqual(Array.from({ length: 51 }, (_, i) => i));
  });

  it('writes at most 500 events per statement', async () => {
    const { repo, audit } = service();
    repo.hold = true;
    const all = [audit.record(event(0))];
    for (let i = 1; i <= 1200; i++) all.push(audit.record(event(i)));
    for (let round = 0; round < 5; round++) {
      await flush();
      repo.release();
    }
    await Promise.all(all);
    expect(repo.inserts.map((rows) => rows.length)).toEqual([1, 500, 500, 200]);
  });

  it('does not let an event the database refuses take the others of its statement with it', async () => {
    const { repo, audit } = service();
    repo.hold = true;
    const first = audit.record(event(0));
    const others = [1, 2, 3].map((i) => audit.record(event(i)));
    repo.refuse = (row) => ((row.detail as { i: number }).i === 2 ? new Error('invalid input syntax') : null);
    await flush();
    repo.hold = false;
    repo.release();
    await first;
    const settled = await Promise.allSettled(others);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(repo.inserts.map((rows) => rows.map((r) => (r.detail as { i: number }).i))).toEqual([[0], [1, 2, 3], [1], [2], [3]]);
  });

  it('gives up on a whole statement at once while the database is away, each event rejected and logged', async () => {
    const { repo, audit } = service();
    repo.refuse = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const settled = await Promise.allSettled([audit.record(event(1)), audit.record(event(2))]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    // One try for the first, one for the two queued behind it: no row-by-row retries against a database that is away.
    expect(repo.inserts.map((rows) => rows.length)).toEqual([1, 1]);
  });

  it("fills in the request's client address and id, keeps only addresses, and refuses an action that is not a dotted verb", async () => {
    const { repo, audit } = service();
    await AuditTrail.run({ requestId: 'req-1', clientAddress: '::ffff:10.0.0.7', detail: {} }, () => audit.record(event(1)));
    await logContext.run({ requestId: 'job-2' }, () => audit.record({ ...event(2), clientAddress: 'unknown' }));
    expect(repo.inserts.flat().map((r) => [r.request_id, r.client_address])).toEqual([
      ['req-1', '::ffff:10.0.0.7'],
      ['job-2', null],
    ]);
    expect(() => audit.record({ ...event(3), action: 'Feed Update' })).toThrow(/not a dotted verb/);
  });

  it('keeps who acted as the principal says, and masks what a caller passes as before and after', async () => {
    const { repo, audit } = service();
    const actor = actorOf({
      kind: 'user',
      subject: 'u-1',
      username: 'li',
      displayName: '李雷',
      roles: ['admin'],
      scope: CITY_WIDE,
      scopeViews: [],
      department: null,
      sessionId: 's-1',
      feedKey: null,
      mustChangePassword: false,
    });
    await audit.record({
      action: 'user.update',
      outcome: 'success',
      actor,
      targetType: 'user',
      targetId: 7,
      before: { password: 'old' },
      after: { password: 'new' },
    });
    expect(repo.inserts[0][0]).toMatchObject({
      actor_kind: 'user',
      actor_id: 'u-1',
      actor_name: 'li',
      actor_roles: ['admin'],
      target_id: '7',
      before: { password: '********' },
      after: { password: '********' },
    });
    expect(actorOf(undefined)).toEqual({ kind: 'anonymous' });
  });

  it('waits for what is queued before the application shuts down', async () => {
    const { repo, audit } = service();
    repo.hold = true;
    const recorded = audit.record(event(1));
    let done = false;
    const shutdown = audit.beforeApplicationShutdown().then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    repo.release();
    await shutdown;
    await recorded;
    expect(done).toBe(true);
  });
});
