import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { WebhookDeliveryView, WebhookSecret, WebhookView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { WebhooksSection } from './WebhooksSection';

const ID = '6f1f7c1e-4f0a-4e55-9d55-1d3b1f7c9a01';

function webhook(patch: Partial<WebhookView> = {}): WebhookView {
  return {
    id: ID,
    name: '应急值班系统',
    url: 'https://duty.example.org/hooks/cityops',
    filter: { levels: ['critical'] },
    enabled: true,
    createdBy: 'admin',
    createdAt: '2026-11-29T08:00:00Z',
    updatedAt: '2026-11-29T08:00:00Z',
    secretRotatedAt: '2026-11-29T08:00:00Z',
    ...patch,
  };
}

function delivery(patch: Partial<WebhookDeliveryView>): WebhookDeliveryView {
  return {
    id: '0d7a1c2e-0000-4000-8000-000000000001',
    webhookId: ID,
    alertId: '0d7a1c2e-0000-4000-8000-0000000000aa',
    change: 'escalated',
    status: 'delivered',
    attempts: 1,
    lastStatusCode: 200,
    lastError: null,
    nextAttemptAt: null,
    deliveredAt: '2026-11-29T08:01:00Z',
    createdAt: '2026-11-29T08:01:00Z',
    attemptLog: [],
    ...patch,
  };
}

describe('WebhooksSection', () => {
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

  async function renderSection(hooks: WebhookView[]) {
    render(<WebhooksSection />);
    api.only('/api/webhooks').reply(200, hooks);
    await settle();
  }

  it('lists webhooks with their filter and state', async () => {
    await renderSection([webhook(), webhook({ id: `${ID.slice(0, -1)}2`, name: '停用的', enabled: false, filter: {} })]);
    const rows = screen.getAllByTestId('webhook-row');
    expect(rows.map((r) => [r.dataset.name, r.dataset.enabled])).toEqual([
      ['应急值班系统', 'true'],
      ['停用的', 'false'],
    ]);
    expect(rows[0].textContent).toContain('告警级别: 严重');
    expect(rows[1].textContent).toContain('全部告警变化');
    expect(screen.getByText('启用 1 个')).toBeTruthy();
  });

  it('creates a webhook with a filter and shows its secret once', async () => {
    await renderSection([]);
    fireEvent.click(screen.getByTestId('webhook-create'));
    fireEvent.click(screen.getByTestId('webhook-form-submit'));
    // Only the list was asked for: nothing was sent.
    expect(api.count('/api/webhooks')).toBe(1);
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual(['必填', '必填']);

    const form = screen.getByTestId('webhook-form');
    fireEvent.change(form.querySelector('[name="name"]')!, { target: { value: '应急值班系统' } });
    fireEvent.change(form.querySelector('[name="url"]')!, { target: { value: 'https://duty.example.org/hooks/cityops' } });
    fireEvent.click(form.querySelector('[name="levels"][value="critical"]')!);
    fireEvent.change(form.querySelector('[name="themes"]')!, { target: { value: 'water，traffic' } });
    fireEvent.click(screen.getByTestId('webhook-form-submit'));
    const request = api.only('/api/webhooks');
    expect([request.method, request.body]).toEqual([
      'POST',
      {
        name: '应急值班系统',
        url: 'https://duty.example.org/hooks/cityops',
        filter: { levels: ['critical'], themes: ['water', 'traffic'] },
        enabled: true,
      },
    ]);
    request.reply(201, { webhook: webhook(), secret: 'whsec_the-secret-0123456789' } satisfies WebhookSecret);
    await settle();
    expect(screen.getByTestId<HTMLInputElement>('revealed-secret').value).toBe('whsec_the-secret-0123456789');
    expect(screen.getByTestId('secret-once-note').textContent).toContain('系统加密保存');
    fireEvent.click(screen.getByTestId('secret-done'));
    expect(document.body.innerHTML).not.toContain('the-secret');
  });

  it('shows the server’s refusal of an address on the URL field', async () => {
    await renderSection([]);
    fireEvent.click(screen.getByTestId('webhook-create'));
    const form = screen.getByTestId('webhook-form');
    fireEvent.change(form.querySelector('[name="name"]')!, { target: { value: 'intranet' } });
    fireEvent.change(form.querySelector('[name="url"]')!, { target: { value: 'http://10.1.2.3/hook' } });
    fireEvent.click(screen.getByTestId('webhook-form-submit'));
    api.only('/api/webhooks').reply(400, {
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: 'url', message: '10.1.2.3 is a private address' }],
    });
    await settle();
    expect(form.querySelector('[name="url"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual(['10.1.2.3 is a private address']);
  });

  it('switches a webhook off by sending it back whole with enabled false', async () => {
    await renderSection([webhook()]);
    fireEvent.click(screen.getByTestId('webhook-toggle'));
    const request = api.only(`/api/webhooks/${ID}`);
    expect([request.method, request.body]).toEqual([
      'PUT',
      { name: '应急值班系统', url: 'https://duty.example.org/hooks/cityops', filter: { levels: ['critical'] }, enabled: false },
    ]);
  });

  it('shows the delivery log with each status, attempts and last error, and sends a failed one again', async () => {
    await renderSection([webhook()]);
    fireEvent.click(screen.getByTestId('webhook-log'));
    api.only(`/api/webhooks/${ID}/deliveries`).reply(200, [
      delivery({
        id: '0d7a1c2e-0000-4000-8000-000000000003',
        status: 'failed',
        attempts: 8,
        lastStatusCode: null,
        lastError: 'no answer within 5000 ms',
      }),
      delivery({
        id: '0d7a1c2e-0000-4000-8000-000000000002',
        status: 'pending',
        attempts: 2,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: '2026-11-29T08:02:00Z',
      }),
      delivery({}),
    ]);
    await settle();
    const rows = screen.getAllByTestId('delivery-row');
    expect(rows.map((r) => r.dataset.status)).toEqual(['failed', 'pending', 'delivered']);
    expect(rows[0].textContent).toContain('no answer within 5000 ms');
    expect(within(rows[1]).getByTestId('delivery-last-result').textContent).toContain('HTTP 500');
    expect(rows[1].textContent).toContain('待发送');
    expect(screen.getAllByTestId('delivery-retry')).toHaveLength(1);

    fireEvent.click(screen.getByTestId('delivery-retry'));
    const retry = api.only('/api/webhooks/deliveries/0d7a1c2e-0000-4000-8000-000000000003/retry');
    expect(retry.method).toBe('POST');
  });

  it('names each delivery’s change in words, in Chinese and on the switch in English, with the code the receiver gets', async () => {
    await renderSection([webhook()]);
    fireEvent.click(screen.getByTestId('webhook-log'));
    api
      .only(`/api/webhooks/${ID}/deliveries`)
      .reply(200, [
        delivery({ id: '0d7a1c2e-0000-4000-8000-000000000013', change: 'test', alertId: null }),
        delivery({ id: '0d7a1c2e-0000-4000-8000-000000000012', change: 'lapsed' }),
        delivery({ id: '0d7a1c2e-0000-4000-8000-000000000011', change: 'escalated' }),
      ]);
    await settle();
    const changes = () =>
      screen.getAllByTestId('delivery-change').map((cell) => [cell.firstChild?.textContent, cell.querySelector('code')?.textContent]);
    expect(changes()).toEqual([
      ['测试推送', 'test'],
      ['未触发即恢复', 'lapsed'],
      ['级别升高', 'escalated'],
    ]);
    act(() => setLang('en'));
    expect(changes()).toEqual([
      ['Test', 'test'],
      ['Lapsed before firing', 'lapsed'],
      ['Level raised', 'escalated'],
    ]);
  });
});
