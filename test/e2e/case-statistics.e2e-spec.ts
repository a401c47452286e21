import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CaseDetail, CaseStatistics, CaseStatisticsRow } from '@cityops/contracts';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import { launchBrowser, openSignedIn, painted, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

jest.setTimeout(240_000);

const TIANHE = '440106';
const HAIZHU = '440105';

interface Grid {
  lon: number;
  lat: number;
}

/** The table has the answer of the URL's query (a new query blanks the last one's at once). */
async function statsShown(page: Page, by: string): Promise<void> {
  await page.locator(`[data-testid="case-stats"][data-by="${by}"] [data-testid="case-stats-ready"][data-loading="false"]`).waitFor({
    timeout: 15_000,
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid="case-stats-chart"][data-rendered="true"]').waitFor();
  await painted(page);
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

/** The table's rows as `{key, cells by column}`, in the order shown. */
function tableRows(page: Page): Promise<{ key: string; cells: Record<string, string> }[]> {
  return page.locator('[data-testid="case-stats-row"]').evaluateAll((rows) =>
    rows.map((row) => ({
      key: row.getAttribute('data-key') ?? '',
      cells: Object.fromEntries([...row.querySelectorAll('td')].map((td) => [td.getAttribute('data-col'), (td.textContent ?? '').trim()])),
    })),
  );
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Number((rate * 100).toFixed(1))}%`);

describe('the statistics view of the cases page in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let analyst: TestUser;
  let analystToken: string;
  let operatorToken: string;
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
  const gridIn = async (district: string): Promise<Grid> =>
    (
      await stack.db.query<Grid>(
        `SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
        [district],
      )
    ).rows[0];
  const file = async (category: string, district: string, description: string) =>
    api<CaseDetail>(operatorToken, 'POST', '/api/cases', {
      category,
      description,
      location: [(await gridIn(district)).lon, (await gridIn(district)).lat],
    });
  /** The same query the page made, read from the window it shows. */
  const sameQuery = async (page: Page, by: string): Promise<CaseStatistics> => {
    const section = page.locator('[data-testid="case-stats"]');
    const from = (await section.getAttribute('data-from')) ?? '';
    const to = (await section.getAttribute('data-to')) ?? '';
    const query = new URLSearchParams({ by, from, to });
    return api<CaseStatistics>(analystToken, 'GET', `/api/cases/statistics?${query.toString()}`);
  };
  /** Each row of the answer is in the table with the figures it says. */
  const expectTableOf = async (page: Page, answer: CaseStatistics) => {
    const shown = new Map((await tableRows(page)).map((r) => [r.key, r.cells]));
    expect([...shown.keys()].sort()).toEqual(answer.rows.map((r) => r.key).sort());
    for (const row of answer.rows) {
      expect(shown.get(row.key)).toMatchObject({
        filed: String(row.filed),
        open: String(row.open),
        closed: String(row.closed),
        acceptOnTimeRate: percent(row.acceptOnTimeRate),
        resolveOnTimeRate: percent(row.resolveOnTimeRate),
        enterpriseRequests: String(row.enterpriseRequests),
        promiseKeptRate: percent(row.promiseKeptRate),
      });
    }
  };

  async function openPage(user: TestUser, path: string, viewport: { width: number; height: number } = WALL_VIEWPORTS.fullHd) {
    const { context, page, errors } = await openSignedIn(browser, `${stack.url}${path}`, user, {
      context: { viewport, acceptDownloads: true },
    });
    contexts.push(context);
    return { page, errors };
  }

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    const admin = await login(stack.url);
    const operator = await createUser(stack.url, admin, { username: 'stats-desk', roles: ['operator'] });
    operatorToken = await login(stack.url, operator.username, operator.password);
    analyst = await createUser(stack.url, admin, { username: 'loop-analyst', roles: ['analyst'] });
    analystToken = await login(stack.url, analyst.username, analyst.password);

    // Tianhe: one closed in 30 hours with a rating of 4 (on time), one accepted late, one waiting; Haizhu: 企业呼, one kept, one missed.
    const closed = await file('street-vending', TIANHE, '天河路地铁口占道经营');
    await stack.db.query(
      `UPDATE city_case SET state = 'closed', accepted_at = created_at + interval '1 hour', resolved_at = created_at + interval '20 hours',
              closed_at = created_at + interval '30 hours', resolve_due_at = created_at + interval '48 hours', rating = 4 WHERE code = $1`,
      [closed.code],
    );
    const late = await file('street-vending', TIANHE, '体育西路占道经营');
    await stack.db.query(`UPDATE city_case SET state = 'accepted', accepted_at = accept_due_at + interval '1 hour' WHERE code = $1`, [
      late.code,
    ]);
    await file('illegal-advertising', TIANHE, '天河北路违规广告牌');
    const kept = await file('permit-help', HAIZHU, '企业办理许可咨询');
    await stack.db.query(`UPDATE city_case SET state = 'accepted', accepted_at = created_at + interval '2 hours' WHERE code = $1`, [
      kept.code,
    ]);
    const missed = await file('permit-help', HAIZHU, '企业用电报装咨询');
    await stack.db.query(`UPDATE city_case SET created_at = now() - interval '30 hours' WHERE code = $1`, [missed.code]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('shows an analyst the numbers per district as the API gives them, with weighted totals, sorting and the chart', async () => {
    const { page, errors } = await openPage(analyst, '/cases?view=stats&lang=zh');
    await statsShown(page, 'district');
    const answer = await sameQuery(page, 'district');
    expect(answer.rows.map((r) => r.key).sort()).toEqual([HAIZHU, TIANHE]);
    await expectTableOf(page, answer);
    const tianhe = (await tableRows(page)).find((r) => r.key === TIANHE)?.cells;
    expect(tianhe).toMatchObject({ name: '天河区', filed: '3', closed: '1', meanHoursToClose: '30 小时', meanRating: '★ 4.0（1 条）' });
    expect(tianhe?.promiseKeptRate).toBe('—');
    // Totals weighted by the counts: Tianhe accepted 1 of 3 on time, Haizhu 1 of 1 (not the mean of 33 % and 100 %).
    const total = await page
      .locator('[data-testid="case-stats-total"]')
      .evaluate((tr) =>
        Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.getAttribute('data-col'), (c.textContent ?? '').trim()])),
      );
    const th = answer.rows.find((r) => r.key === TIANHE) as CaseStatisticsRow;
    const hz = answer.rows.find((r) => r.key === HAIZHU) as CaseStatisticsRow;
    const acceptTotal = (th.acceptOnTime + hz.acceptOnTime) / (th.acceptOnTime + th.acceptLate + hz.acceptOnTime + hz.acceptLate);
    expect(total).toMatchObject({
      name: '合计',
      filed: String(th.filed + hz.filed),
      acceptOnTimeRate: percent(acceptTotal),
      promiseKeptRate: '50%',
      enterpriseRequests: '2',
    });

    // Sorted by filed, most first; a click turns it, and the name column sorts from the keyboard.
    const filedHeader = page.locator('th:has([data-column="filed"])');
    expect(await filedHeader.getAttribute('aria-sort')).toBe('descending');
    await page.locator('[data-column="filed"]').click();
    expect(await filedHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = (await tableRows(page)).map((r) => Number(r.cells.filed));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.locator('[data-column="name"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th:has([data-column="name"])').getAttribute('aria-sort')).toBe('ascending');
    // 海珠 (hǎi) before 天河 (tiān): pinyin order.
    expect((await tableRows(page)).map((r) => r.key)).toEqual([HAIZHU, TIANHE]);
    expect(Number(await page.locator('[data-testid="case-stats-chart"]').getAttribute('data-bars'))).toBe(2);
    await shoot(page, 'case-stats-1080-district-zh');
    expect(errors).toEqual([]);
  });

  it('groups by street and by department in the URL, exports the table as CSV, and a row leads to the list of its cases', async () => {
    const { page, errors } = await openPage(analyst, '/cases?view=stats&lang=zh');
    await statsShown(page, 'district');
    await page.locator('[data-testid="case-stats"] [data-by="street"]').click();
    await page.waitForURL(/by=street/);
    await statsShown(page, 'street');
    const streets = await sameQuery(page, 'street');
    expect(streets.rows.reduce((n, r) => n + r.filed, 0)).toBe(5);
    await expectTableOf(page, streets);

    // The CSV: a BOM for Excel, the headers in the page's language, one line a row and the totals last.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="case-stats-export"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^cityops-case-statistics-street-.*\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['编码', '街道', '登记', '在办', '结案']);
    expect(lines).toHaveLength(streets.rows.length + 2);
    for (const row of streets.rows)
      expect(lines.some((l) => l.startsWith(`${row.key},${row.name},${row.filed},${row.open},${row.closed},`))).toBe(true);
    expect(lines.at(-1)?.startsWith(',合计,5,')).toBe(true);
    await page.locator('[data-testid="case-stats-exported"]').waitFor();

    await page.locator('[data-testid="case-stats"] [data-by="department"]').click();
    await page.waitForURL(/by=department/);
    await statsShown(page, 'department');
    const departments = await sameQuery(page, 'department');
    await expectTableOf(page, departments);
    const urban = departments.rows.find((r) => r.key === 'th-urban-management');
    // Street vending and the advertising board both go to Tianhe's urban management by the routing rules.
    expect(urban?.filed).toBe(3);

    // The row's list: that department's cases, the statistics' own query left behind.
    await page.locator('[data-testid="case-stats-row"][data-key="th-urban-management"] td[data-col="filed"]').click();
    await page.waitForURL(/department=th-urban-management/);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/cases');
    expect(url.searchParams.get('view')).toBeNull();
    expect(url.searchParams.get('by')).toBeNull();
    await page.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="case-row"]').count()).toBe(3);
    // Back returns to the numbers by department.
    await page.goBack();
    await statsShown(page, 'department');
    expect(errors).toEqual([]);
  });

  it('checks a custom window before asking, in the page’s language, and speaks English on the switch', async () => {
    const { page, errors } = await openPage(analyst, '/cases?view=stats&by=street&period=custom&from=2026-11-20&to=2026-11-10&lang=zh');
    const problem = page.locator('[data-testid="case-stats-problem"]');
    await problem.waitFor();
    expect(await problem.textContent()).toBe('开始日期不能晚于结束日期');
    expect(await page.locator('[data-testid="case-stats-from"]').getAttribute('aria-invalid')).toBe('true');
    // A window of today alone answers.
    const today = await page.evaluate(
      '(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; })()',
    );
    await page.locator('[data-testid="case-stats-from"]').fill(String(today));
    await page.locator('[data-testid="case-stats-to"]').fill(String(today));
    await page.locator('[data-testid="case-stats-apply"]').click();
    await page.waitForURL(new RegExp(`from=${String(today)}&to=${String(today)}`));
    await statsShown(page, 'street');
    expect(await problem.count()).toBe(0);
    await expectTableOf(page, await sameQuery(page, 'street'));

    const en = await openPage(analyst, '/cases?view=stats&by=street&period=7d&lang=en');
    await statsShown(en.page, 'street');
    expect(await en.page.locator('th:has([data-column="name"])').textContent()).toContain('Street');
    expect(await en.page.locator('[data-testid="case-stats-total"] [data-col="name"]').textContent()).toBe('Total');
    await shoot(en.page, 'case-stats-1080-street-en');
    await en.page.locator('[data-testid="case-stats"] [data-by="district"]').click();
    await statsShown(en.page, 'district');
    await shoot(en.page, 'case-stats-1080-district-en');

    // A laptop's 1366 px: the table fits without scrolling sideways.
    const small = await openPage(analyst, '/cases?view=stats&by=street&lang=zh', { width: 1366, height: 768 });
    await statsShown(small.page, 'street');
    const overflow = await small.page.evaluate(
      '(() => { const w = document.querySelector(".case-stats-table-wrap"); return w.scrollWidth - w.clientWidth; })()',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(small.page, 'case-stats-1366-street-zh');
    expect([...errors, ...en.errors, ...small.errors]).toEqual([]);
  });
});
