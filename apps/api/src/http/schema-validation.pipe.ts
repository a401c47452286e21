import { type ArgumentMetadata, StandardSchemaValidationPipe } from '@nestjs/common';
import { findUnstorable } from '@cityops/contracts';
import { problemErrors, ValidationError } from '@cityops/core';

/** An issue's path as the answer shows it: ten segments at most, each at most 100 characters. */
function shortPath(path: (string | number)[]): (string | number)[] {
  const segments = path.slice(0, 10).map((s) => (typeof s === 'string' && s.length > 100 ? `${s.slice(0, 100)}…` : s));
  return path.length > 10 ? [...segments, '…'] : segments;
}

/**
 * The one pipe that checks every `@Param/@Query/@Body({ schema })` against its zod schema and hands
 * the handler the parsed value (coerced, defaults applied); a failure is a 400 problem listing
 * every issue as `{path, message}`.
 *
 * Before the schema, every string of the value (keys too) must be one PostgreSQL can store (no NUL,
 * no lone surrogate) and nothing may nest deeper than MAX_JSON_DEPTH: the same rule for every
 * route, including those added later, and checked without recursion, so a body nested 20,000 deep
 * is a 400 rather than a stack overflow in a validator or in `JSON.stringify`.
 */
class StorableSchemaValidationPipe extends StandardSchemaValidationPipe {
  override async transform<T>(value: T, metadata: ArgumentMetadata): Promise<T> {
    if (metadata.schema && this.toValidate(metadata)) {
      const found = findUnstorable(value);
      if (found) throw new ValidationError(problemErrors([{ path: shortPath(found.path), message: found.message }]));
    }
    return super.transform(value, metadata);
  }
}

export function schemaValidationPipe(): StandardSchemaValidationPipe {
  return new StorableSchemaValidationPipe({ exceptionFactory: (issues) => new ValidationError(problemErrors(issues)) });
}
