import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CaseDetail, RoutingRuleView } from '@cityops/contracts';
import { samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import { launchBrowser, openSignedIn, painted, screenshotPath, waitUntil, requireBuiltWebApp } from './browser';

jest.setTimeout(240_000);

const TIANHE = '440106';
const HAIZHU = '440105';

interface Grid {
  code: string;
  lon: number;
  lat: number;
}

/** The map's canvas has the size of its frame (the page runs it as text). */
const MAP_DRAWN = `
  const frame = document.querySelector('[data-testid="case-map-frame"] .map-canvas');
  const canvas = frame && frame.querySelector('canvas');
  return Boolean(canvas) && frame.clientHeight > 300 && Math.round(parseFloat(canvas.style.width)) === frame.clientWidth
    && Math.round(parseFloat(canvas.style.height)) === frame.clientHeight;`;

/** The list of the page's URL has come (a new query blanks the last one's at once: never counted by mistake). */
async function listed(page: Page): Promise<void> {
  await page.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
}

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name) });
}

describe('the cases page in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let operator: TestUser;
  let handler: TestUser;
  let operatorToken: string;
  const contexts: BrowserContext[] = [];
  /** The greening case of Tianhe no rule routes: it waits for the command centre. */
  let waiting: CaseDetail;
  let otherWaiting: CaseDetail;
  let routed: CaseDetail;

  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const gridIn = async (district: string, skip = 0): Promise<Grid> =>
    (
      await stack.db.query<Grid>(
        `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code OFFSET $2 LIMIT 1`,
        [district, skip],
      )
    ).rows[0];
  const file = (category: string, grid: Grid, description: string) =>
    api<CaseDetail>(operatorToken, 'POST', '/api/cases', { category, description, location: [grid.lon, grid.lat] });
  const stored = (code: string) => api<CaseDetail>(operatorToken, 'GET', `/api/cases/${code}`);

  /** `live: false`: the page's live connection never opens (a tab whose socket is down shows what it read last). */
  async function openPage(user: TestUser, path: string, options: { live?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const { context, page, errors } = await openSignedIn(browser, `${stack.url}${path}`, user, options);
    contexts.push(context);
    await page.waitForSelector('[data-testid="cases"][data-loading="false"]', { timeout: 15_000 });
    return { page, errors };
  }

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    const admin = await login(stack.url);
    // Greening cases go nowhere by themselves in this suite: the operator dispatches them by hand.
    const rules = await api<RoutingRuleView[]>(admin, 'GET', '/api/case-routing-rules');
    for (const rule of rules.filter((r) => r.category === 'greening')) await api(admin, 'DELETE', `/api/case-routing-rules/${rule.id}`);
    operator = await createUser(stack.url, admin, { username: 'case-desk', roles: ['operator'] });
    handler = await createUser(stack.url, admin, {
      username: 'gardens-handler',
      roles: ['handler'],
      scopes: [{ area: HAIZHU }],
      department: 'forestry-gardens',
    });
    operatorToken = await login(stack.url, operator.username, operator.password);
    const tianhe = await gridIn(TIANHE);
    const haizhu = await gridIn(HAIZHU);
    otherWaiting = await file('green-damage', haizhu, '海珠湿地公园绿篱被车辆碾压');
    routed = await file('street-vending', await gridIn(TIANHE, 40), '天河路地铁口占道经营，早晚高峰阻塞通行');
    waiting = await file('fallen-tree', tianhe, '体育西路台风后树木倒伏，压住人行道');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('files by the API, then an operator filters, opens a case, dispatches it by hand, and a handler of that department accepts it', async () => {
    expect(waiting.state).toBe('reported');
    expect(routed.state).toBe('dispatched');

    const { page, errors } = await openPage(operator, '/cases?lang=zh');
    const rows = page.locator('[data-testid="case-row"]');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    // The routed case counts down to its accept deadline; the waiting one runs against none.
    const routedRow = page.locator(`[data-testid="case-row"][data-code="${routed.code}"]`);
    expect(await routedRow.locator('[data-testid="case-countdown"]').getAttribute('data-stage')).toBe('accept');
    expect(await routedRow.textContent()).toContain('受理剩');
    expect(await routedRow.textContent()).toContain('天河区城市管理和综合执法局');
    await shoot(page, 'cases-1080-list-zh');

    // The greening group: the two greening cases, and the filter is in the URL.
    await page.locator('[data-testid="case-filter-category"]').selectOption('greening');
    await page.waitForURL(/category=greening/);
    await listed(page);
    expect(await rows.count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('category')).toBe('greening');
    // Waiting for the command centre only.
    await page.locator('[data-testid="case-filter-state"] [data-state="reported"]').click();
    await page.waitForURL(/state=reported/);
    await listed(page);
    expect(await rows.count()).toBe(2);
    // A case code in the search box finds that case.
    await page.locator('[data-testid="case-search"]').fill(waiting.code);
    await page.locator('[data-testid="case-search"]').press('Enter');
    await page.waitForURL(/q=GZ-TH-/);
    await listed(page);
    expect(await rows.count()).toBe(1);

    // Open it: all its fields, where it is, no rule routed it, the timeline so far.
    await rows.first().click();
    const detail = page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="reported"]`);
    await detail.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${waiting.code}`);
    expect(await detail.locator('[data-testid="case-area-path"]').textContent()).toContain('天河区');
    expect(await detail.locator('[data-testid="case-routed-by"]').textContent()).toContain('人工派遣或尚未派遣');
    const events = page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"] [data-testid="case-event"]`);
    expect(await events.count()).toBe(1);

    // A second tab of the same desk opens the same case before the first acts on it.
    // Without its live connection: /cases follows changes live, and this tab is to stay stale.
    const second = await openPage(operator, `/cases/${waiting.code}?lang=zh`, { live: false });
    const staleDetail = second.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="reported"]`);
    await staleDetail.waitFor();

    // Dispatch by hand: the department is asked for first.
    const actions = detail.locator('[data-testid="case-action"]');
    expect(await actions.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).toEqual([
      'dispatch',
      'merge',
      'invalidate',
      'cancel',
      'split',
    ]);
    await detail.locator('[data-testid="case-action"][data-action="dispatch"]').click();
    const form = detail.locator('[data-testid="case-action-form"][data-action="dispatch"]');
    await form.locator('[data-testid="case-action-submit"]').click();
    await form.locator('select[name="department"][aria-invalid="true"]').waitFor();
    expect(await form.locator('[data-testid="field-error"]').textContent()).toBe('请选择承办部门');
    await form.locator('select[name="department"]').selectOption('forestry-gardens');
    await form.locator('[name="comment"]').fill('请园林部门尽快清理');
    await shoot(page, 'cases-1080-dispatch-form-zh');
    await form.locator('[data-testid="case-action-submit"]').click();

    const dispatched = page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="dispatched"]`);
    await dispatched.waitFor();
    await events.nth(1).waitFor();
    expect(await events.count()).toBe(2);
    const dispatchEvent = events.nth(1);
    expect(await dispatchEvent.getAttribute('data-action')).toBe('dispatch');
    expect(await dispatchEvent.textContent()).toContain('case-desk');
    expect(await dispatchEvent.textContent()).toContain('林业和园林');
    expect(await dispatchEvent.textContent()).toContain('请园林部门尽快清理');
    expect(await page.locator('[data-testid="case-notice"]').textContent()).toBe(`已派遣：${waiting.code}`);
    expect(await dispatched.locator('[data-testid="case-countdown"]').getAttribute('data-stage')).toBe('accept');
    expect(await stored(waiting.code)).toMatchObject({ state: 'dispatched', department: 'forestry-gardens' });

    // An internal note, marked as such on the timeline.
    await dispatched.locator('[data-testid="case-note-form"] textarea').fill('已电话联系园林所值班员');
    await dispatched.locator('[data-testid="case-note-submit"]').click();
    await events.nth(2).locator('[data-testid="case-internal"]', { hasText: '内部' }).waitFor();
    await shoot(page, 'cases-1080-dispatched-zh');

    // The other tab still shows it waiting; its dispatch is refused (409), said plainly, and the case is read again.
    await staleDetail.locator('[data-testid="case-action"][data-action="dispatch"]').click();
    const staleForm = staleDetail.locator('[data-testid="case-action-form"]');
    await staleForm.locator('select[name="department"]').selectOption('water');
    await staleForm.locator('[data-testid="case-action-submit"]').click();
    const refusal = second.page.locator('[data-testid="case-refusal"][data-status="409"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('此案件已被他人处理，现为“已派遣”');
    await second.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="dispatched"]`).waitFor();
    expect(await stored(waiting.code)).toMatchObject({ department: 'forestry-gardens' });
    await shoot(second.page, 'cases-1080-conflict-zh');
    await second.page.click('[data-testid="lang-switch"]');
    await second.page.waitForSelector('html[lang="en"]');
    expect(await refusal.textContent()).toContain('Someone else acted on this case: it is “Dispatched” now');
    await shoot(second.page, 'cases-1080-conflict-en');

    // The handler of the department sees it (its department's, though outside its areas) and accepts it.
    const desk = await openPage(handler, '/cases?lang=zh');
    const handlerRow = desk.page.locator(`[data-testid="case-row"][data-code="${waiting.code}"]`);
    await handlerRow.waitFor();
    await handlerRow.click();
    const handlerDetail = desk.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="dispatched"]`);
    await handlerDetail.waitFor();
    expect(
      await handlerDetail.locator('[data-testid="case-action"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action'))),
    ).toEqual(['accept', 'return']);
    await handlerDetail.locator('[data-testid="case-action"][data-action="accept"]').click();
    await handlerDetail.locator('[data-testid="case-action-submit"]').click();
    const accepted = desk.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="accepted"]`);
    await accepted.waitFor();
    expect(await accepted.locator('[data-testid="case-event"]').count()).toBe(4);
    expect(await accepted.locator('[data-testid="case-countdown"]').getAttribute('data-stage')).toBe('resolve');
    expect(await accepted.locator('[data-testid="case-event"]').last().textContent()).toContain('gardens-handler');
    await shoot(desk.page, 'cases-1080-accepted-zh');
    expect(await stored(waiting.code)).toMatchObject({ state: 'accepted', department: 'forestry-gardens' });

    // Work starts, then the fix is resolved with its after photo, uploaded from the form and shown as a thumbnail.
    await accepted.locator('[data-testid="case-action"][data-action="start"]').click();
    await accepted.locator('[data-testid="case-action-submit"]').click();
    const working = desk.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="in_progress"]`);
    await working.waitFor();
    await working.locator('[data-testid="case-action"][data-action="resolve"]').click();
    const resolveForm = working.locator('[data-testid="case-action-form"][data-action="resolve"]');
    // No photo yet: said on the field, nothing sent.
    await resolveForm.locator('[data-testid="case-action-submit"]').click();
    expect(await resolveForm.locator('[data-testid="field-error"]').textContent()).toBe('请先上传处置后照片');
    await resolveForm.locator('[data-testid="case-photo-input"]').setInputFiles({
      name: 'after.jpg',
      mimeType: 'image/jpeg',
      buffer: await samplePhoto('jpeg', { width: 640, height: 480 }),
    });
    await resolveForm.locator('.form-hint', { hasText: '已上传 1 张' }).waitFor();
    await resolveForm.locator('[name="comment"]').fill('倒伏树木已清理，人行道恢复通行');
    await resolveForm.locator('[data-testid="case-action-submit"]').click();
    const resolved = desk.page.locator(`[data-testid="case-detail"][data-code="${waiting.code}"][data-state="resolved"]`);
    await resolved.waitFor();
    await resolved.locator('[data-testid="case-photo"][data-loaded="true"]').waitFor();
    await shoot(desk.page, 'cases-1080-resolved-zh');
    await resolved.locator('[data-testid="case-photo"]').click();
    await desk.page.locator('[data-testid="case-photo-full"] img').waitFor();
    await shoot(desk.page, 'cases-1080-photo-full-zh');
    await desk.page.keyboard.press('Escape');
    await desk.page.locator('[data-testid="case-photo-full"]').waitFor({ state: 'detached' });
    expect((await stored(waiting.code)).photos).toMatchObject([{ stage: 'resolve', attached: true }]);

    // Back on the first tab, in English: the board by state and the map.
    await page.goto(`${stack.url}/cases?lang=en&view=board`);
    await page
      .locator(`[data-testid="case-column"][data-state="resolved"] [data-testid="case-card"][data-code="${waiting.code}"]`)
      .waitFor();
    expect(await page.locator(`[data-testid="case-column"][data-state="dispatched"] [data-code="${routed.code}"]`).count()).toBe(1);
    expect(await page.locator(`[data-testid="case-column"][data-state="reported"] [data-code="${otherWaiting.code}"]`).count()).toBe(1);
    await shoot(page, 'cases-1080-board-en');
    await page.locator(`[data-testid="case-card"][data-code="${routed.code}"]`).click();
    await page.locator(`[data-testid="case-detail"][data-code="${routed.code}"]`).waitFor();
    expect(await page.locator('[data-testid="case-routed-by"]').textContent()).toContain('→ Tianhe Urban Management Bureau');
    await shoot(page, 'cases-1080-board-detail-en');

    // Closed before the map shows: opening and closing the panel resizes the map, which moves its points.
    await page.locator(`[data-testid="case-detail-close"]`).click();
    await page.locator('[data-testid="case-detail"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="case-view-switch"] [data-view="map"]').click();
    await page.locator('[data-testid="case-map"][data-cases="3"]').waitFor();
    await waitUntil(page, MAP_DRAWN, { what: 'the cases map canvas to fill its frame' });
    await page.locator('[data-testid="case-map-frame"][data-map-idle]').waitFor({ timeout: 30_000 });
    await shoot(page, 'cases-1080-map-en');
    // A click on a point opens its case.
    const points = JSON.parse((await page.locator('[data-testid="case-map-frame"]').getAttribute('data-case-points')) ?? '[]') as [
      string,
      number,
      number,
    ][];
    const point = points.find(([code]) => code === otherWaiting.code);
    if (!point) throw new Error(`no point of ${otherWaiting.code} in ${JSON.stringify(points)}`);
    await page.locator('[data-testid="case-map-frame"] canvas').click({ position: { x: point[1], y: point[2] } });
    await page.locator(`[data-testid="case-detail"][data-code="${otherWaiting.code}"][data-state="reported"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${otherWaiting.code}`);
    await shoot(page, 'cases-1080-map-picked-en');

    // The home page links to the cases for someone who works them.
    await page.goto(`${stack.url}/?lang=zh`);
    await page.locator('[data-testid="home-cases-link"]').waitFor();

    expect(errors).toEqual([]);
    expect(second.errors).toEqual([]);
    expect(desk.errors).toEqual([]);
  });

  it('merges a case into one of its possible duplicates and splits new cases off a report, each showing where it went', async () => {
    const grid = await gridIn(TIANHE, 5);
    const first = await file('green-damage', grid, '天河公园东门绿篱被踩踏，旁边路灯也不亮');
    const again = await file('green-damage', grid, '天河公园东门绿化带损坏');
    const { page, errors } = await openPage(operator, `/cases/${again.code}?lang=zh`);
    const detail = page.locator(`[data-testid="case-detail"][data-code="${again.code}"][data-state="reported"]`);
    await detail.waitFor();
    await detail.locator(`[data-testid="case-duplicates"] a[href="/cases/${first.code}"]`).waitFor();

    // Merge: the possible duplicate is one click; the notice links to the case that stands.
    await detail.locator('[data-testid="case-action"][data-action="merge"]').click();
    const mergeForm = detail.locator('[data-testid="case-action-form"][data-action="merge"]');
    await mergeForm.locator(`[data-testid="case-merge-pick"][data-code="${first.code}"]`).click();
    expect(await mergeForm.locator('input[name="mergeInto"]').inputValue()).toBe(first.code);
    expect(await mergeForm.locator(`[data-testid="case-merge-pick"][data-code="${first.code}"]`).getAttribute('aria-pressed')).toBe('true');
    await shoot(page, 'cases-1080-merge-form-zh');
    await mergeForm.locator('[data-testid="case-action-submit"]').click();
    await page.locator(`[data-testid="case-detail"][data-code="${again.code}"][data-state="duplicate"]`).waitFor();
    const notice = page.locator('[data-testid="case-notice"]');
    expect(await notice.textContent()).toContain(`已合并到 ${first.code}`);
    expect(await stored(again.code)).toMatchObject({ state: 'duplicate', mergedInto: first.code });
    await shoot(page, 'cases-1080-merged-zh');
    await notice.locator(`a[href="/cases/${first.code}"]`).click();
    const survivor = page.locator(`[data-testid="case-detail"][data-code="${first.code}"][data-state="reported"]`);
    await survivor.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${first.code}`);

    // Split: nothing sent until every new case has a category and a description, and there is a reason.
    await survivor.locator('[data-testid="case-action"][data-action="split"]').click();
    const splitForm = survivor.locator('[data-testid="case-split-form"]');
    await splitForm.locator('[data-testid="case-split-submit"]').click();
    await splitForm.locator('select[name="category.0"][aria-invalid="true"]').waitFor();
    expect(await splitForm.locator('[data-testid="field-error"]').allTextContents()).toEqual([
      '请选择类别',
      '请填写问题描述',
      '请填写原因',
    ]);
    await splitForm.locator('select[name="category.0"]').selectOption('streetlight');
    await splitForm.locator('textarea[name="description.0"]').fill('天河公园东门路灯不亮');
    await splitForm.locator('[data-testid="case-split-add"]').click();
    await splitForm.locator('select[name="category.1"]').selectOption('garbage-pile');
    await splitForm.locator('textarea[name="description.1"]').fill('东门垃圾桶满溢');
    await splitForm.locator('textarea[name="reason"]').fill('一件上报包含三个问题，分别派遣');
    await shoot(page, 'cases-1080-split-form-zh');
    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector('html[lang="en"]');
    expect(await splitForm.textContent()).toContain('The place is this case’s');
    await shoot(page, 'cases-1080-split-form-en');
    await splitForm.locator('[data-testid="case-split-submit"]').click();

    // Both new cases are named with links; the case lists them; each keeps the original's place and names it.
    const splitNotice = page.locator('[data-testid="case-notice"][data-kind="split"]');
    await splitNotice.waitFor();
    const codes = await splitNotice.locator('a').allTextContents();
    expect(codes).toHaveLength(2);
    expect((await stored(first.code)).splitInto.sort()).toEqual([...codes].sort());
    for (const [code, category] of [
      [codes[0], 'streetlight'],
      [codes[1], 'garbage-pile'],
    ]) {
      expect(await stored(code)).toMatchObject({ category, location: first.location, splitFrom: first.code, source: first.source });
    }
    await survivor.locator(`[data-testid="case-fields"] a[href="/cases/${codes[1]}"]`).waitFor();
    await shoot(page, 'cases-1080-split-en');
    await splitNotice.locator(`a[href="/cases/${codes[0]}"]`).click();
    await page.locator(`[data-testid="case-detail"][data-code="${codes[0]}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${codes[0]}`);
    expect(errors).toEqual([]);
  });
});
