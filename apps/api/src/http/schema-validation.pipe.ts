import { StandardSchemaValidationPipe } from '@nestjs/common';
import { problemErrors, ValidationError } from '@cityops/core';

/**
 * The one pipe that checks every `@Param/@Query/@Body({ schema })` against its zod schema and hands
 * the handler the parsed value (coerced, defaults applied); a failure is a 400 problem listing
 * every issue as `{path, message}`.
 */
export function schemaValidationPipe(): StandardSchemaValidationPipe {
  return new StandardSchemaValidationPipe({ exceptionFactory: (issues) => new ValidationError(problemErrors(issues)) });
}
