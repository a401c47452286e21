import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every test file runs in some jest project: a spec that no project's roots and patterns pick up
 * would pass by never running (the migrations' own test once fell out this way).
 */

const ROOT = join(__dirname, '..', '..');

interface Project {
  displayName: string;
  roots: string[];
  testMatch: string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.config.js is CommonJS and has no types
const config = require(join(ROOT, 'jest.config.js')) as { projects: Project[] };

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory())
      return ['node_modules', 'dist', '.git', '.cityops', 'test-output', 'coverage'].includes(entry.name) ? [] : testFiles(path);
    return /\.(spec|integration-spec|e2e-spec)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** `**\/*.spec.ts` → the file name ends with `.spec.ts` (the only pattern shape the config uses). */
function matches(pattern: string, file: string): boolean {
  const suffix = /^\*\*\/\*(\.[\w.-]+)$/.exec(pattern)?.[1];
  if (!suffix) throw new Error(`unexpected testMatch pattern ${pattern}: teach this test to read it`);
  return file.endsWith(suffix);
}

function projectsOf(file: string): string[] {
  return config.projects
    .filter((p) =>
      p.roots.some((root) => `${file}/`.startsWith(`${relative(ROOT, root.replace('<rootDir>', ROOT)).split(sep).join('/')}/`)),
    )
    .filter((p) => p.testMatch.some((pattern) => matches(pattern, file)))
    .map((p) => p.displayName);
}

describe('test tiers', () => {
  it('runs every test file in exactly one jest project', () => {
    const files = testFiles('');
    expect(files.length).toBeGreaterThan(40);
    expect(
      files.filter((file) => projectsOf(file).length !== 1).map((file) => `${file}: ${projectsOf(file).join(', ') || 'no project'}`),
    ).toEqual([]);
  });
});
