import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import type { AuditEventView, AuditPage } from '../../api/admin-api';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { AuditSection } from './AuditSection';

function event(id: number, patch: Partial<AuditEventView> = {}): AuditEventView {
  return {
    id,
    at: '2026-11-29T08:00:00Z',
    actorKind: 'user',
    actorId: '0b8f7e2c-0000-4000-8000-000000000001',
    actorName: 'admin',
    actorRoles: ['admin'],
    action: 'user.update',
    targetType: 'user',
    targetId: '0b8f7e2c-0000-4000-8000-000000000002',
    before: { disabled: false },
    after: { disabled: true },
    outcome: 'success',
    clientAddress: '10.0.0.8',
    requestId: `req-${id}`,
    detail: null,
    ...patch,
  };
}

const field = (name: string) =>
  document.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="audit-filters"] [name="${name}"]`)!;

describe('AuditSection', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
    jest.restoreAllMocks();
    // jsdom has no object URLs; the CSV test lends them.
    delete (URL as { createObjectURL?: unknown }).createObjectURL;
    delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
  });

  it('lists the newest events, filters them, and pages back and forth', async () => {
    render(<AuditSection />);
    const first = api.only('/api/audit');
    expect(Object.fromEntries(first.query)).toEqual({ limit: '50' });
    first.reply(200, {
      events: [event(12), event(11, { outcome: 'denied', actorName: null, actorId: null, actorKind: 'anonymous', actorRoles: [] })],
      nextBefore: 11,
    } satisfies AuditPage);
    await settle();
    const rows = screen.getAllByTestId('audit-row');
    expect(rows.map((r) => r.dataset.outcome)).toEqual(['success', 'denied']);
    expect(rows[0].textContent).toContain('2026-11-29 16:00:00');
    expect(rows[1].textContent).toContain('匿名');
    expect(rows[1].textContent).toContain('被拒绝');

    fireEvent.click(screen.getByTestId('audit-older'));
    const older = api.only('/api/audit');
    expect(older.query.get('before')).toBe('11');
    older.reply(200, { events: [event(10)], nextBefore: null });
    await settle();
    expect(screen.getByTestId<HTMLButtonElement>('audit-older').disabled).toBe(true);
    fireEvent.click(screen.getByTestId('audit-newer'));
    expect(api.only('/api/audit').query.get('before')).toBeNull();

    fireEvent.change(field('actor'), { target: { value: 'admin' } });
    fireEvent.change(field('action'), { target: { value: 'user.' } });
    fireEvent.change(field('outcome'), { target: { value: 'denied' } });
    fireEvent.change(field('from'), { target: { value: '2026-11-29 08:00' } });
    fireEvent.click(screen.getByTestId('audit-apply'));
    const filtered = api.pending('/api/audit').at(-1)!;
    expect(Object.fromEntries(filtered.query)).toEqual({
      actor: 'admin',
      action: 'user.',
      outcome: 'denied',
      from: '2026-11-29T08:00:00+08:00',
      limit: '50',
    });
  });

  it('refuses a time range that ends before it starts without asking the server', async () => {
    render(<AuditSection />);
    api.only('/api/audit').reply(200, { events: [], nextBefore: null });
    await settle();
    fireEvent.change(field('from'), { target: { value: '2026-11-29T10:00' } });
    fireEvent.change(field('to'), { target: { value: '2026-11-29T09:00' } });
    fireEvent.click(screen.getByTestId('audit-apply'));
    expect(api.count('/api/audit')).toBe(1);
    expect(field('to').closest('label')!.textContent).toContain('截止时间必须晚于起始时间');
  });

  it('downloads the events that match the applied filters as a CSV file', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:audit';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: HTMLAnchorElement[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    render(<AuditSection />);
    api.only('/api/audit').reply(200, { events: [event(1)], nextBefore: null });
    await settle();
    fireEvent.change(field('outcome'), { target: { value: 'failed' } });
    fireEvent.click(screen.getByTestId('audit-apply'));
    api.only('/api/audit').reply(200, { events: [], nextBefore: null });
    await settle();

    fireEvent.click(screen.getByTestId('audit-csv'));
    const csv = api.only('/api/audit.csv');
    expect(Object.fromEntries(csv.query)).toEqual({ outcome: 'failed' });
    csv.reply(200, 'id,at');
    await settle();
    expect(created).toHaveLength(1);
    expect(clicked.map((a) => [a.href, a.download])).toEqual([['blob:audit', expect.stringMatching(/^cityops-audit-\d{8}-\d{4}\.csv$/)]]);
  });

  it('says plainly that the server has no audit API yet', async () => {
    render(<AuditSection />);
    api.only('/api/audit').reply(404, { type: 'about:blank', title: 'Not found', status: 404 });
    await settle();
    expect(screen.getByTestId('not-available').textContent).toContain('“审计日志”功能暂不可用');
    expect(screen.queryByTestId('audit-csv')).toBeNull();
    expect(screen.queryByTestId('audit-filters')).toBeNull();
  });
});
