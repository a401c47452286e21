import { z } from 'zod';
import { OpenApiSchemas } from './openapi-schema.registry';

describe('OpenApiSchemas: zod schemas as OpenAPI 3.0 components', () => {
  const place = z.object({ name: z.string(), kind: z.enum(['a', 'b']).default('a') }).meta({ id: 'SpecPlace' });
  const kindOnly = z
    .object({ kind: z.enum(['a', 'b']) })
    .strict()
    .meta({ id: 'SpecKind' });

  it('refers to a named schema by $ref and registers it, with its named parts, as components', () => {
    const schemas = new OpenApiSchemas();
    const list = z.array(z.object({ place: kindOnly }).meta({ id: 'SpecHolder' }));
    expect(schemas.schema(list, 'output')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/SpecHolder' } });
    const components = schemas.components();
    expect(Object.keys(components).sort()).toEqual(['SpecHolder', 'SpecKind']);
    expect(components.SpecHolder).toMatchObject({ properties: { place: { $ref: '#/components/schemas/SpecKind' } } });
  });

  it('converts a request with its defaults optional and an answer with them present', () => {
    const input = new OpenApiSchemas();
    input.schema(place, 'input');
    expect(input.components().SpecPlace).toMatchObject({ required: ['name'] });
    const output = new OpenApiSchemas();
    output.schema(place, 'output');
    expect(output.components().SpecPlace).toMatchObject({ required: ['name', 'kind'] });
  });

  it('refuses one id that would describe a request and an answer of different shapes', () => {
    const schemas = new OpenApiSchemas();
    schemas.schema(place, 'input');
    expect(() => schemas.schema(place, 'output')).toThrow(/"SpecPlace" has another shape as an answer/);
  });

  it('accepts one id used both ways when both shapes are the same', () => {
    const schemas = new OpenApiSchemas();
    schemas.schema(kindOnly, 'input');
    expect(schemas.schema(kindOnly, 'output')).toEqual({ $ref: '#/components/schemas/SpecKind' });
  });

  it('answers SwaggerModule only for zod schemas', () => {
    const schemas = new OpenApiSchemas();
    expect(schemas.converter({ '~standard': { vendor: 'other' } }, { schemaType: 'input' })).toBeUndefined();
    expect(schemas.converter(kindOnly, { schemaType: 'input' })).toEqual({
      schema: { $ref: '#/components/schemas/SpecKind' },
      components: { SpecKind: schemas.components().SpecKind },
    });
  });
});
