import type { ReferenceObject, SchemaObject, StandardSchemaConverter } from '@nestjs/swagger';
import { z } from 'zod';

type Direction = 'input' | 'output';
type JsonSchema = SchemaObject & { definitions?: Record<string, SchemaObject> };

const COMPONENT_PREFIX = '#/components/schemas/';

/** zod writes named schemas under `definitions`; in an OpenAPI document they are components. */
function componentRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(componentRefs) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace('#/definitions/', COMPONENT_PREFIX) : componentRefs(v),
    ]),
  ) as T;
}

/**
 * The OpenAPI 3.0 form of our zod schemas, and the named components (`.meta({ id })`) they hold.
 *
 * One instance serves SwaggerModule (parameters and bodies, through `converter`) and the route
 * decorators (answers, bodies a handler reads itself), so every component is converted the same
 * way. A schema converts differently as a request (`input`: defaults make fields optional) and as
 * an answer (`output`); one id used both ways with two shapes would make one of them lie, so that
 * stops the document from being built.
 */
export class OpenApiSchemas {
  private readonly known = new Map<string, { schema: SchemaObject; text: string }>();

  /** SwaggerModule's hook: parameters and bodies declared with `@Query/@Param/@Body({ schema })`. */
  readonly converter: StandardSchemaConverter = (schema, { schemaType }) =>
    schema instanceof z.ZodType ? this.convert(schema, schemaType) : undefined;

  /** The schema, with its named parts (and itself, when named) as `$ref`s to registered components. */
  schema(schema: z.ZodType, direction: Direction): SchemaObject | ReferenceObject {
    return this.convert(schema, direction).schema;
  }

  /** Every component converted so far, by id. */
  components(): Record<string, SchemaObject> {
    return Object.fromEntries([...this.known].map(([id, { schema }]) => [id, schema]));
  }

  private convert(schema: z.ZodType, direction: Direction): { schema: SchemaObject; components: Record<string, SchemaObject> } {
    const { definitions = {}, ...root } = z.toJSONSchema(schema, { target: 'openapi-3.0', io: direction }) as JsonSchema;
    const components: Record<string, SchemaObject> = {};
    for (const [id, definition] of Object.entries(definitions)) components[id] = this.register(id, componentRefs(definition), direction);
    return { schema: componentRefs(root), components };
  }

  private register(id: string, schema: SchemaObject, direction: Direction): SchemaObject {
    const text = JSON.stringify(schema);
    const known = this.known.get(id);
    if (known && known.text !== text) {
      throw new Error(
        `OpenAPI component "${id}" has another shape as ${direction === 'input' ? 'a request' : 'an answer'}: ` +
          'give the request schema and the answer schema their own ids (defaults and transforms differ between the two)',
      );
    }
    this.known.set(id, { schema, text });
    return schema;
  }
}

/** The one instance the API's route decorators and its document share. */
export const apiSchemas = new OpenApiSchemas();
