import { entitySeriesSchema } from '@cityops/contracts';
import { CAMERAS_FEED, createMarathonRace, startCourseCameras, type SimulatorLogger } from '@cityops/demo';
import { eventually } from '../support/eventually';
import { feedToken, login, startStack, type TestStack } from '../support/stack';

describe('the demo’s course cameras: the simulator pushes their people counts, which their trend draws', () => {
  let stack: TestStack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
  });
  afterAll(async () => stack?.stop());

  it('pushes every course camera’s state with the cameras feed’s own key, and a camera’s trend answers its people in view', async () => {
    const warnings: string[] = [];
    const quiet = () => undefined;
    const logger: SimulatorLogger = { debug: quiet, info: quiet, warn: (_, m) => warnings.push(m), error: (_, m) => warnings.push(m) };
    const race = createMarathonRace({ runners: 2000, startedAt: new Date(Date.now() - 7 * 60_000) });
    const loop = startCourseCameras({ apiUrl: stack.url, simulatorToken: feedToken, race, logger });
    const counted = async () => {
      const { rows } = await stack.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM entity_history WHERE feed_key = $1 AND props ? 'peopleInView'`,
        [CAMERAS_FEED.key],
      );
      return rows[0].n;
    };
    try {
      let pushed = 0;
      await eventually(async () => (pushed = await counted()) > 0, 60_000, 'the course cameras’ first push');
      const { rows } = await stack.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM entity WHERE feed_key = $1 AND entity_id LIKE 'cam-GZM-%'`,
        [CAMERAS_FEED.key],
      );
      expect(pushed).toBe(rows[0].n);
    } finally {
      await loop.stop();
    }
    expect(warnings).toEqual([]);

    const { rows } = await stack.db.query<{ id: string }>(
      `SELECT entity_id AS id FROM entity WHERE feed_key = $1 AND props ? 'peopleInView' ORDER BY entity_id LIMIT 1`,
      [CAMERAS_FEED.key],
    );
    const res = await fetch(`${stack.url}/api/feeds/${CAMERAS_FEED.key}/entities/${rows[0].id}/series`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    const series = entitySeriesSchema.parse(await res.json());
    const people = series.metrics.find((m) => m.metric.key === 'peopleInView');
    expect(people).toMatchObject({ source: 'prop', metric: { name: '画面内人数', unit: '人' }, thresholds: [] });
    expect(people?.points.reduce((n, p) => n + p.count, 0)).toBeGreaterThanOrEqual(1);
  });
});
