import type { z } from 'zod';
import { ValidationException } from './domain.exception';

/** Flattens zod issues into the `errors: [{path, message}]` of a problem document. */
export function zodIssues(error: z.ZodError, prefix = ''): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Parses input with a schema or throws a 400 listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationException(zodIssues(result.error, prefix));
  return result.data;
}
