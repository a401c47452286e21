import { NestFactory } from '@nestjs/core';
import { CaseSetupService } from '@cityops/cases';
import { DEMO_OPERATOR, DemoSeederService, demoPersonPassword, startCaseSimulator, type RunningCaseSimulator } from '@cityops/demo';
import { PrepareModule } from '../../apps/worker/src/prepare.module';
import { eventually } from '../support/eventually';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

/** What the simulator logged above debug, so a failure shows why. */
const logged: string[] = [];
const logger = {
  debug: () => undefined,
  info: (fields: object, message: string) => logged.push(`info ${message} ${JSON.stringify(fields)}`),
  warn: (fields: object, message: string) => logged.push(`warn ${message} ${JSON.stringify(fields)}`),
  error: (fields: object, message: string) => logged.push(`error ${message} ${JSON.stringify(fields)}`),
};

describe('the demo case simulator takes cases through the whole loop over the API', () => {
  let stack: TestStack;
  let sim: RunningCaseSimulator | undefined;

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    // A round-the-clock calendar and a category accepted within 3.6 s, so a late handler is supervised in seconds.
    await stack.db.query(`UPDATE working_calendar SET hours = '[{"start":"00:00","end":"24:00"}]', workdays = '{1,2,3,4,5,6,7}'`);
    await stack.db.query(`DELETE FROM working_calendar_day`);
    await stack.workers[0].get(CaseSetupService, { strict: false }).loadCategories([
      {
        key: 'test-urgent',
        name: '测试急件',
        nameEn: 'Test urgent',
        responsePromiseHours: null,
        categories: [{ key: 'test-seconds', name: '秒级', nameEn: 'Seconds', acceptHours: 0.001, resolveHours: 1 }],
      },
    ]);
    const admin = await login(stack.url);
    const rule = await fetch(`${stack.url}/api/case-routing-rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'test-urgent', areaCode: null, department: 'housing' }),
    });
    expect(rule.status).toBe(201);
  });

  afterAll(async () => {
    await sim?.stop();
    await stack?.stop();
  });

  it('signs in as the demo people the set-up made from the simulator token, and as nobody without it', async () => {
    await expect(login(stack.url, DEMO_OPERATOR.username, demoPersonPassword(feedToken, DEMO_OPERATOR.username))).resolves.toEqual(
      expect.any(String),
    );
    await expect(
      login(stack.url, DEMO_OPERATOR.username, demoPersonPassword('another-token-0123456789', DEMO_OPERATOR.username)),
    ).rejects.toThrow(/401/);
  });

  it('files from several sources and sees cases closed, one supervised, a detection filed and one attached', async () => {
    sim = startCaseSimulator({
      apiUrl: stack.url,
      simulatorToken: feedToken,
      casesPerHour: 7200,
      logger,
      seed: 7,
      concurrency: 6,
      categories: { grid_worker: ['test-seconds'], citizen: ['noise'], enterprise: ['policy-query'] },
      fates: { late: 0.3, reject: 0.2 },
      filers: { grid_worker: 0.35, citizen: 0.1, enterprise: 0.1, detection: 0.4, duplicate: 0.05 },
    });
    const running = sim;
    const count = async (sql: string) => Number((await stack.db.query<{ n: string }>(sql)).rows[0].n);
    try {
      await eventually(
        async () => {
          const c = running.counts();
          const closed = await count(`SELECT count(*) AS n FROM city_case WHERE state = 'closed'`);
          const supervised = await count(`SELECT count(*) AS n FROM case_event WHERE action = 'supervised'`);
          return closed >= 1 && supervised >= 1 && (c.detections.filed ?? 0) >= 1 && (c.detections.attached ?? 0) >= 1;
        },
        50_000,
        'a closed case, a supervised one, a filed and an attached detection',
        500,
      );
    } catch (error) {
      throw new Error(`${String(error)}\ncounts: ${JSON.stringify(running.counts())}\n${logged.slice(-20).join('\n')}`, { cause: error });
    }
    const sources = (await stack.db.query<{ source: string }>(`SELECT DISTINCT source FROM city_case`)).rows.map((r) => r.source);
    expect(sources).toEqual(expect.arrayContaining(['grid_worker', 'machine']));
    // Closed with the reporter's rating, after a photo of the fix.
    const closed = await stack.db.query<{ rating: number | null; photos: string }>(
      `SELECT c.rating, (SELECT count(*) FROM case_photo p WHERE p.case_id = c.id AND p.stage = 'resolve') AS photos
         FROM city_case c WHERE c.state = 'closed'`,
    );
    expect(closed.rows.every((r) => Number(r.photos) >= 1)).toBe(true);
    expect(closed.rows.some((r) => r.rating !== null)).toBe(true);
    await running.stop();
    expect(running.counts().tracked).toBeLessThanOrEqual(60);
    if (process.env.CASE_SIM_COUNTS) process.stdout.write(`${JSON.stringify(running.counts())}\n${logged.join('\n')}\n`);
  }, 60_000);

  it('picks the open cases of its streets up again after a restart and takes them on', async () => {
    const open = await stack.db.query<{ code: string; state: string }>(
      `SELECT code, state FROM city_case WHERE state IN ('dispatched', 'accepted', 'in_progress', 'resolved', 'verified') ORDER BY code`,
    );
    expect(open.rows.length).toBeGreaterThan(0);
    // Nothing new is filed: only what was open moves on.
    sim = startCaseSimulator({ apiUrl: stack.url, simulatorToken: feedToken, casesPerHour: 7200, logger, seed: 8, filing: false });
    const restarted = sim;
    await eventually(() => restarted.counts().tracked > 0 || restarted.counts().errors > 0, 20_000, 'the open cases followed again');
    expect(restarted.counts().filed).toEqual({});
    const before = new Map(open.rows.map((r) => [r.code, r.state]));
    await eventually(
      async () =>
        (
          await stack.db.query<{ code: string; state: string }>(`SELECT code, state FROM city_case WHERE code = ANY($1)`, [
            [...before.keys()],
          ])
        ).rows.some((r) => r.state !== before.get(r.code)),
      30_000,
      'a case open before the restart to move on',
    );
    await restarted.stop();
  }, 60_000);

  it('leaves the demo people with a password nobody knows when SIMULATOR_TOKEN is unset, and gives theirs back with it', async () => {
    const seed = async (token: string) => {
      const config = { ...stack.config, simulator: { ...stack.config.simulator, token } };
      const app = await NestFactory.createApplicationContext(PrepareModule.forRoot(config), { logger: false });
      try {
        return (await app.get(DemoSeederService).ensureCaseSimulation()).length;
      } finally {
        await app.close();
      }
    };
    const derived = demoPersonPassword(feedToken, DEMO_OPERATOR.username);
    expect(await seed('')).toBe(0);
    await expect(login(stack.url, DEMO_OPERATOR.username, derived)).rejects.toThrow(/401/);
    expect(await seed(feedToken)).toBe(0);
    await expect(login(stack.url, DEMO_OPERATOR.username, derived)).resolves.toEqual(expect.any(String));
  });
});
