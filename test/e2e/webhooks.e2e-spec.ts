import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { AlertNotifications, verifyWebhookSignature } from '@cityops/notifications';
import { alertChangedEvent } from '../support/alert-events';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';
import { cspViolations, launchBrowser, painted, screenshotPath, WALL_VIEWPORTS, signInThroughForm, requireBuiltWebApp } from './browser';

jest.setTimeout(180_000);

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name) });
}

describe('alert webhooks in the admin pages, in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let receiver: Server;
  let receiverUrl = '';
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    requireBuiltWebApp();
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/cityops`;
    stack = await startStack({ workers: 1, env: { CONNECTOR_ALLOW_HOSTS: '127.0.0.1' } });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    page = await context.newPage();
    errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('lets an admin create a webhook (secret shown once), send a test that arrives signed, and read it in the delivery log', async () => {
    await page.goto(`${stack.url}/admin/webhooks`);
    await signInThroughForm(page, 'admin', TEST_SECRETS.ADMIN_PASSWORD);
    await page.waitForSelector('.admin[data-section="webhooks"] [data-testid="admin-webhooks"]', { timeout: 15_000 });

    await page.click('[data-testid="webhook-create"]');
    const form = page.locator('[data-testid="webhook-form"]');
    await form.locator('[name="name"]').fill('应急值班系统');
    await form.locator('[name="url"]').fill('http://10.1.2.3/hook');
    await form.locator('[name="levels"][value="critical"]').check();
    await form.locator('[name="themes"]').fill('water, traffic');
    await form.locator('[data-testid="webhook-form-submit"]').click();
    // An address inside the network, not allowed: the URL field says why.
    await form.locator('[name="url"][aria-invalid="true"]').waitFor({ timeout: 10_000 });
    expect(await form.textContent()).toContain('10.1.2.3 is a private address');
    await shoot(page, 'admin-webhook-refused-zh');

    await form.locator('[name="url"]').fill(receiverUrl);
    await form.locator('[data-testid="webhook-form-submit"]').click();
    const reveal = page.locator('[data-testid="secret-reveal"]');
    await reveal.waitFor({ timeout: 10_000 });
    const secret = await reveal.locator('[data-testid="revealed-secret"]').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shoot(page, 'admin-webhook-created-zh');
    await page.click('[data-testid="secret-done"]');
    expect(await page.content()).not.toContain(secret);

    const row = page.locator('[data-testid="webhook-row"][data-name="应急值班系统"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('严重');
    await row.locator('[data-testid="webhook-test"]').click();
    await page.waitForSelector('[data-testid="webhook-delivery-log"]');

    const [request] = await eventually(() => (received.length ? received : null), 15_000, 'the test delivery at the receiver');
    const headers = {
      timestamp: request.headers['x-cityops-timestamp'] as string,
      signature: request.headers['x-cityops-signature'] as string,
    };
    expect(verifyWebhookSignature(secret, headers, request.body)).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ change: 'test', alert: null });

    // The log shows it delivered once the worker has recorded it (the page reloads the log on request).
    await eventually(
      async () => {
        await page.click('[data-testid="delivery-log-refresh"]');
        return (await page.locator('[data-testid="delivery-row"][data-status="delivered"]').count()) === 1;
      },
      15_000,
      'the delivered test in the log',
      300,
    );
    expect(await page.locator('[data-testid="delivery-last-result"]').textContent()).toContain('HTTP 204');

    // An alert change in the log is named in words, with the code the receiver gets beside it.
    await stack.workers[0].get(AlertNotifications).changed(alertChangedEvent('escalated'));
    const escalated = page.locator('[data-testid="delivery-row"][data-change="escalated"][data-status="delivered"]');
    await eventually(
      async () => {
        await page.click('[data-testid="delivery-log-refresh"]');
        return (await escalated.count()) === 1;
      },
      15_000,
      'the delivered alert change in the log',
      300,
    );
    expect(await escalated.locator('[data-testid="delivery-change"]').textContent()).toBe('级别升高escalated');
    await shoot(page, 'admin-webhook-log-zh');

    await row.locator('[data-testid="webhook-toggle"]').click();
    await page.waitForSelector('[data-testid="webhook-row"][data-name="应急值班系统"][data-enabled="false"]', { timeout: 10_000 });

    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector('html[lang="en"]');
    await row.locator('[data-testid="webhook-log"]').click();
    await page.waitForSelector('[data-testid="delivery-row"][data-status="delivered"]', { timeout: 10_000 });
    expect(await page.locator('[data-testid="admin-webhooks"]').textContent()).toContain('Delivered');
    await escalated.waitFor({ timeout: 10_000 });
    expect(await escalated.locator('[data-testid="delivery-change"]').textContent()).toBe('Level raisedescalated');
    await shoot(page, 'admin-webhooks-en');
    expect(errors).toEqual([]);
  });
});
