import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { DisplaySecret, DisplayView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { AreaDirectoryProvider } from '../scope/AreaDirectory';
import { answerAreaRequests } from '../testing/demo-areas';
import { DisplaysSection } from './DisplaysSection';

const LIWAN_SCOPE = { kind: 'area' as const, id: 12, code: '440103', name: '荔湾区', nameEn: 'Liwan District', level: 'district' as const };

function display(patch: Partial<DisplayView> = {}): DisplayView {
  return {
    id: '5f0c1d2e-0000-4000-8000-000000000001',
    name: '荔湾区指挥中心主屏',
    description: '三楼大厅',
    scopes: [LIWAN_SCOPE],
    prefix: 'dsp_ab12',
    createdAt: '2026-11-29T08:00:00Z',
    lastSeenAt: null,
    rotatedAt: null,
    revokedAt: null,
    ...patch,
  };
}

const TOKEN = 'dsp_ab12-secret-token-0123456789';

describe('DisplaysSection', () => {
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

  async function renderSection(displays: DisplayView[]) {
    render(
      <AreaDirectoryProvider>
        <DisplaysSection />
      </AreaDirectoryProvider>,
    );
    api.only('/api/displays').reply(200, displays);
    await settle();
  }

  it('registers a display and shows its token and wall link once, then never again', async () => {
    await renderSection([]);
    fireEvent.click(screen.getByTestId('display-create'));
    answerAreaRequests(api);
    await settle();
    fireEvent.change(document.querySelector('[data-testid="display-form"] [name="name"]')!, { target: { value: '荔湾区指挥中心主屏' } });
    fireEvent.click(
      screen
        .getAllByTestId('scope-area')
        .find((el) => el.dataset.code === '440103')!
        .querySelector('input')!,
    );
    fireEvent.click(screen.getByTestId('display-form-submit'));
    const request = api.only('/api/displays');
    expect([request.method, request.body]).toEqual([
      'POST',
      { name: '荔湾区指挥中心主屏', description: null, scopes: [{ area: '440103' }] },
    ]);
    request.reply(201, { display: display(), token: TOKEN } satisfies DisplaySecret);
    await settle();

    const reveal = within(screen.getByTestId('secret-reveal'));
    expect(reveal.getByTestId<HTMLInputElement>('revealed-wall-link').value).toBe(`${window.location.origin}/wall?kiosk=${TOKEN}`);
    expect(reveal.getByTestId<HTMLInputElement>('revealed-token').value).toBe(TOKEN);
    expect(reveal.getByTestId('secret-once-note').textContent).toContain('仅此一次显示');
    // The list is loaded again behind it.
    api.only('/api/displays').reply(200, [display()]);
    await settle();
    expect(screen.getAllByTestId('display-row')).toHaveLength(1);

    fireEvent.click(reveal.getByTestId('secret-done'));
    expect(screen.queryByTestId('secret-reveal')).toBeNull();
    expect(document.body.innerHTML).not.toContain(TOKEN);
  });

  it('rotates a token after asking, and shows the new one once', async () => {
    await renderSection([display()]);
    fireEvent.click(screen.getByTestId('display-rotate'));
    expect(api.count(`/api/displays/${display().id}/rotate`)).toBe(0);
    expect(screen.getByText('旧令牌立即失效，大屏需用新链接重新打开。')).toBeTruthy();
    fireEvent.click(screen.getByTestId('display-rotate-confirm'));
    api
      .only(`/api/displays/${display().id}/rotate`)
      .reply(200, { display: display({ rotatedAt: '2026-11-29T09:00:00Z' }), token: 'new-token-0123456789abcdef' });
    await settle();
    expect(screen.getByTestId<HTMLInputElement>('revealed-token').value).toBe('new-token-0123456789abcdef');
    expect(screen.getByTestId('secret-reveal').textContent).toContain('的新令牌');
  });

  it('revokes a display after asking, and keeps it listed as revoked', async () => {
    await renderSection([
      display(),
      display({ id: '5f0c1d2e-0000-4000-8000-000000000002', name: '旧屏', revokedAt: '2026-11-01T00:00:00Z' }),
    ]);
    const rows = screen.getAllByTestId('display-row');
    // Revoked ones come last and offer nothing to do.
    expect(rows.map((r) => r.dataset.revoked)).toEqual(['false', 'true']);
    expect(within(rows[1]).queryByRole('button')).toBeNull();
    expect(within(rows[1]).getByTestId('credential-revoked').textContent).toBe('已吊销');

    fireEvent.click(within(rows[0]).getByTestId('display-revoke'));
    fireEvent.click(within(rows[0]).getByRole('button', { name: '取消' }));
    expect(api.count(`/api/displays/${display().id}`)).toBe(0);
    fireEvent.click(within(rows[0]).getByTestId('display-revoke'));
    fireEvent.click(within(rows[0]).getByTestId('display-revoke-confirm'));
    const request = api.only(`/api/displays/${display().id}`);
    expect(request.method).toBe('DELETE');
    request.reply(200, display({ revokedAt: '2026-11-29T09:00:00Z' }));
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toContain('已吊销大屏“荔湾区指挥中心主屏”');
    expect(api.pending('/api/displays')).toHaveLength(1);
  });

  it('says plainly that the server has no display API yet, offering nothing that would fail', async () => {
    render(
      <AreaDirectoryProvider>
        <DisplaysSection />
      </AreaDirectoryProvider>,
    );
    api.only('/api/displays').reply(404, { type: 'about:blank', title: 'Not found', status: 404, detail: 'Cannot GET /api/displays' });
    await settle();
    expect(screen.getByTestId('not-available').textContent).toContain('“大屏设备”功能暂不可用');
    expect(screen.queryByTestId('display-create')).toBeNull();
  });
});
