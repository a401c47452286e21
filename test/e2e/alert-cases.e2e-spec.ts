import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AlertDetail, CaseDetail, CasePage, RoutingRuleView } from '@cityops/contracts';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import { launchBrowser, openSignedIn, painted, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

jest.setTimeout(240_000);

const INDICATOR = 'marathon.segment_load';
const TIANHE = '440106';

describe('filing a case from an alert, and /cases following changes live, in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let operator: TestUser;
  let admin: string;
  let alertId: string;
  let point: [number, number];
  const contexts: BrowserContext[] = [];

  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };

  async function signedIn(path: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const { context, page, errors } = await openSignedIn(browser, `${stack.url}${path}`, operator, { context: { viewport } });
    contexts.push(context);
    return { page, errors };
  }

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    // Greening cases wait for the command centre here: the live test moves them by hand.
    const rules = await api<RoutingRuleView[]>(admin, 'GET', '/api/case-routing-rules');
    for (const rule of rules.filter((r) => r.category === 'greening')) await api(admin, 'DELETE', `/api/case-routing-rules/${rule.id}`);
    operator = await createUser(stack.url, admin, { username: 'alert-desk', roles: ['operator'] });
    alertId = (
      await stack.db.query<{ id: string }>(
        `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, fired_at)
         SELECT $1, id, 'critical', 'firing', 1.3, 1.0, now(), now() FROM area WHERE level = 'district' AND code = $2
         RETURNING id`,
        [INDICATOR, TIANHE],
      )
    ).rows[0].id;
    const grid = await stack.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM area g JOIN area d ON d.code = $1 WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
      [TIANHE],
    );
    point = [grid.rows[0].lon, grid.rows[0].lat];
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('an operator files a case from the alert on the wall, opens it in /cases, the case shows the alert and the alert lists the case', async () => {
    const { page, errors } = await signedIn('/wall?lang=zh', WALL_VIEWPORTS.fullHd);
    const item = page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.locator('[data-testid="alert-file-case"]').click();
    const form = item.locator('[data-testid="alert-case-form"]');
    await form.waitFor();
    // The description is drafted from the alert; the operator picks the category.
    expect(await form.locator('[data-testid="alert-case-description"]').inputValue()).toContain('天河');
    await form.locator('[data-testid="alert-case-category"]').selectOption('street-vending');
    await painted(page);
    await page.screenshot({ path: screenshotPath('alert-case-form-1080-zh') });

    const posts: unknown[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/api/cases')) posts.push(req.postDataJSON());
    });
    // A double click files once.
    await form.locator('[data-testid="alert-case-submit"]').dblclick();
    const link = form.locator('[data-testid="alert-case-link"]');
    await link.waitFor({ timeout: 15_000 });
    const code = (await link.textContent()) ?? '';
    expect(code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    expect(await link.getAttribute('href')).toBe(`/cases/${code}`);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(posts.map((p) => (p as { clientRequestId: string }).clientRequestId)).size).toBe(1);
    expect((await api<CasePage>(admin, 'GET', `/api/cases?alert=${alertId}`)).items.map((c) => c.code)).toEqual([code]);
    // The alert's view lists its case.
    await form.locator(`[data-testid="alert-case"][data-code="${code}"]`).waitFor({ timeout: 15_000 });
    await painted(page);
    await page.screenshot({ path: screenshotPath('alert-case-filed-1080-zh') });
    const history = await api<AlertDetail>(admin, 'GET', `/api/alerts/${alertId}`);
    expect(history.history.some((h) => h.change === 'case_filed' && h.comment === code)).toBe(true);

    // The case opens in /cases and shows where it came from.
    await link.click();
    const field = page.locator('[data-testid="case-detail"] [data-testid="case-alert"]');
    await field.waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="case-detail"]').getAttribute('data-code')).toBe(code);
    expect(await field.textContent()).toContain('天河');
    await painted(page);
    await page.screenshot({ path: screenshotPath('alert-case-in-cases-1080-zh') });
    expect(errors).toEqual([]);
  });

  it('fits the wall at 3840 in English', async () => {
    const { page, errors } = await signedIn('/wall?lang=en', WALL_VIEWPORTS.uhd);
    const item = page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.locator('[data-testid="alert-file-case"]').click();
    const form = item.locator('[data-testid="alert-case-form"]');
    await form.locator('[data-testid="alert-case"]').first().waitFor({ timeout: 15_000 });
    const box = await form.boundingBox();
    const panel = await page.locator('.alert-panel').boundingBox();
    expect(box && panel && box.x + box.width <= panel.x + panel.width + 1).toBe(true);
    await painted(page);
    await page.screenshot({ path: screenshotPath('alert-case-form-2160-en') });
    expect(errors).toEqual([]);
  });

  it('updates /cases live when another session files and moves a case: it joins the filter, changes in the open panel, and leaves', async () => {
    const { page, errors } = await signedIn('/cases?state=reported&lang=zh', WALL_VIEWPORTS.fullHd);
    await page.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
    const filed = await api<CaseDetail>(admin, 'POST', '/api/cases', {
      category: 'fallen-tree',
      description: '另一位调度员：体育西路树木倒伏',
      location: point,
    });
    expect(filed.state).toBe('reported');
    const row = page.locator(`[data-testid="case-row"][data-code="${filed.code}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.locator(`[data-testid="case-detail"][data-state="reported"]`).waitFor({ timeout: 15_000 });

    await api<CaseDetail>(admin, 'POST', `/api/cases/${filed.code}/actions`, {
      action: 'dispatch',
      department: 'forestry-gardens',
      expectedState: 'reported',
    });
    // The open panel follows; the row leaves the filter; the URL (filter and open case) stays.
    await page.locator(`[data-testid="case-detail"][data-code="${filed.code}"][data-state="dispatched"]`).waitFor({ timeout: 15_000 });
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/cases/${filed.code}`);
    expect(new URL(page.url()).searchParams.get('state')).toBe('reported');
    await painted(page);
    await page.screenshot({ path: screenshotPath('cases-live-1080-zh') });
    expect(errors).toEqual([]);
  });
});
