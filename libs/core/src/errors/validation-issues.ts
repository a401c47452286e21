/**
 * Validation issues as zod and every other Standard Schema library report them, told to people
 * in one way: `path: message`. Both the problem documents of the API and the reasons kept with
 * rejected records and config errors come from here.
 */
export interface ValidationIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** One entry of `errors` in a problem document. */
export interface ProblemError {
  path: string;
  message: string;
}

/** `a.b.0`, from the segments of an issue's path; `prefix` names where the value came from. */
export function issuePath(issue: ValidationIssue, prefix = ''): string {
  const segments = (issue.path ?? []).map((s) => String(typeof s === 'object' && s !== null ? s.key : s));
  return [prefix, ...segments].filter(Boolean).join('.');
}

/** The `errors: [{path, message}]` of a problem document; an issue about the whole value is at `(root)`. */
export function problemErrors(issues: readonly ValidationIssue[], prefix = ''): ProblemError[] {
  return issues.map((issue) => ({ path: issuePath(issue, prefix) || '(root)', message: issue.message }));
}

/**
 * Each issue as `path: message`. An issue about the whole value reads `root: message` when a
 * `root` name is given (e.g. `entity`), else just its message.
 */
export function issueLines(issues: readonly ValidationIssue[], root?: string): string[] {
  return issues.map((issue) => {
    const path = issuePath(issue) || root;
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** All issues on one line, as a rejected record's reason: `value: …; ts: …`. */
export function issuesText(issues: readonly ValidationIssue[], root?: string): string {
  return issueLines(issues, root).join('; ');
}
