import { z } from 'zod';
import { issueLines, issuesText, problemErrors } from './validation-issues';

describe('validation issues, told one way', () => {
  const record = z.object({ value: z.number(), tags: z.array(z.string()) });
  const issuesOf = (input: unknown) => record.safeParse(input).error?.issues ?? [];

  it('lists every issue as {path, message}, the whole value at (root)', () => {
    const issues = issuesOf({ value: 'x', tags: ['a', 1] });
    expect(problemErrors(issues)).toEqual([
      { path: 'value', message: issues[0].message },
      { path: 'tags.1', message: issues[1].message },
    ]);
    expect(problemErrors(issuesOf(null)).map((e) => e.path)).toEqual(['(root)']);
    expect(problemErrors(issuesOf({ value: 1, tags: [2] }), 'body').map((e) => e.path)).toEqual(['body.tags.0']);
  });

  it('reads Standard Schema paths whose segments are objects with a key', () => {
    expect(problemErrors([{ message: 'too big', path: [{ key: 'metrics' }, { key: 0 }, 'max'] }])).toEqual([
      { path: 'metrics.0.max', message: 'too big' },
    ]);
  });

  it('tells an issue as `path: message`, one about the whole value by its name or by its message alone', () => {
    const [nested] = issuesOf({ value: 1, tags: [2] });
    expect(issuesText([nested])).toBe(`tags.0: ${nested.message}`);
    const [whole] = issuesOf(7);
    expect(issuesText([whole], 'entity')).toBe(`entity: ${whole.message}`);
    expect(issuesText([whole])).toBe(whole.message);
  });

  it('joins several issues with "; " and keeps one line per issue for lists', () => {
    const issues = issuesOf({ value: 'x', tags: 'y' });
    expect(issueLines(issues)).toHaveLength(2);
    expect(issuesText(issues)).toBe(issueLines(issues).join('; '));
  });
});
