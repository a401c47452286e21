import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { FeedDefinition, FeedKeySecret, FeedKeyView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { FeedKeysSection } from './FeedKeysSection';

function key(id: string, feed: string, patch: Partial<FeedKeyView> = {}): FeedKeyView {
  return {
    id: `6a1b2c3d-0000-4000-8000-00000000000${id}`,
    feed,
    name: `key ${id}`,
    prefix: `fk_${id}`,
    createdAt: `2026-11-2${id}T08:00:00Z`,
    createdBy: 'admin',
    lastUsedAt: null,
    rotatedAt: null,
    revokedAt: null,
    ...patch,
  };
}

const FEEDS = [
  { key: 'festival-crowd', name: '灯光节人流', nameEn: 'Festival crowd' },
  { key: 'air-quality', name: '空气质量', nameEn: 'Air quality' },
] as FeedDefinition[];

describe('FeedKeysSection', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function renderSection(keys: FeedKeyView[]) {
    render(<FeedKeysSection />);
    api.only('/api/feed-keys').reply(200, keys);
    api.only('/api/feeds').reply(200, FEEDS);
    await settle();
  }

  it('lists keys by feed in the catalog’s order, keys in use first', async () => {
    await renderSection([
      key('1', 'air-quality'),
      key('2', 'festival-crowd', { revokedAt: '2026-11-28T00:00:00Z' }),
      key('3', 'festival-crowd'),
      key('4', 'retired-feed'),
    ]);
    const groups = screen.getAllByTestId('feed-key-group');
    expect(groups.map((g) => g.dataset.feed)).toEqual(['festival-crowd', 'air-quality', 'retired-feed']);
    expect(within(groups[0]).getByRole('columnheader').textContent).toContain('灯光节人流');
    expect(
      within(groups[0])
        .getAllByTestId('feed-key-row')
        .map((r) => [r.dataset.name, r.dataset.revoked]),
    ).toEqual([
      ['key 3', 'false'],
      ['key 2', 'true'],
    ]);
    expect(screen.getByText('有效 3 个')).toBeTruthy();

    fireEvent.change(screen.getByTestId('feed-key-filter'), { target: { value: 'air-quality' } });
    expect(screen.getAllByTestId('feed-key-group').map((g) => g.dataset.feed)).toEqual(['air-quality']);
  });

  it('creates a key for a feed and shows its secret once', async () => {
    await renderSection([]);
    fireEvent.click(screen.getByTestId('feed-key-create'));
    fireEvent.click(screen.getByTestId('feed-key-form-submit'));
    expect(api.count('/api/feed-keys')).toBe(1);
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual(['请至少选择一项', '必填']);

    fireEvent.change(document.querySelector('[data-testid="feed-key-form"] [name="feed"]')!, { target: { value: 'festival-crowd' } });
    fireEvent.change(document.querySelector('[data-testid="feed-key-form"] [name="name"]')!, { target: { value: '客流统计系统' } });
    fireEvent.click(screen.getByTestId('feed-key-form-submit'));
    const request = api.only('/api/feed-keys');
    expect([request.method, request.body]).toEqual(['POST', { feed: 'festival-crowd', name: '客流统计系统' }]);
    request.reply(201, {
      key: key('5', 'festival-crowd', { name: '客流统计系统' }),
      secret: 'fk_5-the-secret-0123456789',
    } satisfies FeedKeySecret);
    await settle();
    expect(screen.getByTestId<HTMLInputElement>('revealed-secret').value).toBe('fk_5-the-secret-0123456789');
    expect(screen.getByTestId('secret-reveal').textContent).toContain('festival-crowd');
    fireEvent.click(screen.getByTestId('secret-done'));
    expect(document.body.innerHTML).not.toContain('the-secret');
  });

  it('revokes a key after asking', async () => {
    await renderSection([key('1', 'air-quality')]);
    fireEvent.click(screen.getByTestId('feed-key-revoke'));
    fireEvent.click(screen.getByTestId('feed-key-revoke-confirm'));
    const request = api.only(`/api/feed-keys/${key('1', 'air-quality').id}`);
    expect(request.method).toBe('DELETE');
    request.reply(200, key('1', 'air-quality', { revokedAt: '2026-11-29T09:00:00Z' }));
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toBe('已吊销密钥“key 1”。');
    api.only('/api/feed-keys').reply(200, [key('1', 'air-quality', { revokedAt: '2026-11-29T09:00:00Z' })]);
    await settle();
    expect(screen.getByTestId('feed-key-row').dataset.revoked).toBe('true');
  });

  it('says plainly that the server has no feed key API yet', async () => {
    render(<FeedKeysSection />);
    api.only('/api/feed-keys').reply(404, { type: 'about:blank', title: 'Not found', status: 404 });
    api.only('/api/feeds').reply(200, FEEDS);
    await settle();
    expect(screen.getByTestId('not-available').textContent).toContain('“数据接入密钥”功能暂不可用');
    expect(screen.queryByTestId('feed-key-create')).toBeNull();
  });
});
