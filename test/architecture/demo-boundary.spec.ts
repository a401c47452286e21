import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CITY_FEEDS, DEMO_CASE_PEOPLE, DEMO_VITAL_SIGNS, VIDEO_ANALYTICS_FEED } from '@cityops/demo';

const ROOT = join(__dirname, '..', '..');

/**
 * The product: the API, the web app and every lib but the demo. The worker's demo entry points
 * (cli.js prepare, the simulator's main), libs/demo and the tests may name the demo.
 */
const PRODUCT = ['apps/api', 'apps/web/src', 'libs'];
const ALLOWED = [/^libs\/demo\//, /\.(spec|integration-spec|e2e-spec)\.tsx?$/];

/** The demo's zone set, feed and indicator: the wall must read them from its scene, never from code. */
const DEMO_NAMES = [
  'gz-marathon',
  'marathon-crowd',
  'marathon.segment_load',
  // The demo city's department feeds and vital signs: a real deployment defines its own.
  ...CITY_FEEDS.map((f) => f.feed.key),
  ...DEMO_VITAL_SIGNS.map((d) => d.key),
  // The simulated case stream's feed and people: product code never signs in as them.
  VIDEO_ANALYTICS_FEED.key,
  ...DEMO_CASE_PEOPLE.map((p) => p.username),
];
/** The event's wording (and its zone codes), which would show a real deployment someone else's race. */
const DEMO_WORDING = /marathon|马拉松|在跑|GZM-\d/i;

function productFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : productFiles(path);
    return ALLOWED.some((pattern) => pattern.test(path)) ? [] : [path];
  });
}

function findings(test: (line: string) => boolean): string[] {
  return PRODUCT.flatMap(productFiles).flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (test(line) ? [`${relative(ROOT, join(ROOT, file))}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('the product knows no demo scenario', () => {
  it('reads every file of the product (the check is not vacuous)', () => {
    const files = PRODUCT.flatMap(productFiles);
    expect(files).toEqual(
      expect.arrayContaining(['apps/api/src/areas/layers.controller.ts', 'apps/web/src/i18n.ts', 'libs/geo/src/area.service.ts']),
    );
    expect(files.some((f) => f.startsWith('libs/demo/'))).toBe(false);
  });

  it('names none of the demo zone set, feed and indicator in apps/api, apps/web/src and the libs but libs/demo', () => {
    expect(findings((line) => DEMO_NAMES.some((name) => line.includes(name)))).toEqual([]);
  });

  it('has no marathon wording in them either', () => {
    expect(findings((line) => DEMO_WORDING.test(line))).toEqual([]);
  });
});
