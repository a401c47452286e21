import { evaluateFormula, FormulaError, formulaReferences, MAX_FORMULA_DEPTH, parseFormula } from './formula';

const inputs = new Map<string, number>([
  ['air.aqi', 120],
  ['traffic.index', 4],
  ['water.depth', 0],
  ['neg', -3],
]);

const evaluate = (formula: string, values: ReadonlyMap<string, number> = inputs) => evaluateFormula(parseFormula(formula), values);

describe('composite formulas: evaluation', () => {
  it.each([
    ['a number', '42', 42],
    ['a decimal and an exponent', '1.5e2 + .5', 150.5],
    ['precedence: * before +', '1 + 2 * 3', 7],
    ['parentheses first', '(1 + 2) * 3', 9],
    ['left to right for - and /', '10 - 4 - 3 + 8 / 4 / 2', 4],
    ['unary minus', '-2 * -3', 6],
    ['double negation', '--5', 5],
    ['unary plus is a no-op', '+5 - +2', 3],
    ['an indicator reference', '{air.aqi}', 120],
    ['references in arithmetic', '{air.aqi} / {traffic.index}', 30],
    ['spaces inside braces', '{ air.aqi } - 20', 100],
    ['min of many', 'min(3, {traffic.index}, 9)', 3],
    ['max of many', 'max(3, {traffic.index}, 9)', 9],
    ['clamp below', 'clamp(-5, 0, 100)', 0],
    ['clamp above', 'clamp(150, 0, 100)', 100],
    ['clamp inside', 'clamp(42, 0, 100)', 42],
    ['abs', 'abs({neg})', 3],
    ['round to an integer', 'round(2.5)', 3],
    ['round to digits', 'round(3.14159, 2)', 3.14],
    ['function names ignore case', 'MAX(1, 2)', 2],
    ['coalesce: first present input', 'coalesce({missing}, {traffic.index}, 0)', 4],
    ['coalesce: a constant fallback', 'coalesce({missing}, 7)', 7],
    ['score: below the first point', 'score(10, 50, 100, 150, 50, 300, 0)', 100],
    ['score: on a segment', 'score(100, 50, 100, 150, 50, 300, 0)', 75],
    ['score: on the second segment', 'score(225, 50, 100, 150, 50, 300, 0)', 25],
    ['score: past the last point', 'score(500, 50, 100, 150, 50, 300, 0)', 0],
    ['the design’s air example', 'clamp(100 - 0.5 * max(0, {air.aqi} - 50), 0, 100)', 65],
    ['a weighted sum', '0.6 * {air.aqi} + 0.4 * {traffic.index} * 10', 88],
  ])('%s: %s = %p', (_name, formula, expected) => {
    expect(evaluate(formula)).toBeCloseTo(expected, 10);
  });

  it.each([
    ['a missing input gives no value', '{missing} + 1'],
    ['a missing input inside a function gives no value', 'max({missing}, 1)'],
    ['division by zero gives no value', '{air.aqi} / {water.depth}'],
    ['coalesce with every input missing gives no value', 'coalesce({missing}, {also.missing})'],
    ['clamp with lo above hi gives no value', 'clamp(5, 10, 0)'],
    ['score with x points that do not increase gives no value', 'score(1, {air.aqi}, 0, 2, 100)'],
    ['an overflow gives no value', '1e308 * 10'],
  ])('%s', (_name, formula) => {
    expect(evaluate(formula)).toBeNull();
  });
});

describe('composite formulas: references', () => {
  it('lists each indicator read once, in order of appearance', () => {
    expect(formulaReferences(parseFormula('{b} + max({a}, {b}) * coalesce({c}, -{a})'))).toEqual(['b', 'a', 'c']);
  });

  it('lists none for a formula of constants', () => {
    expect(formulaReferences(parseFormula('round(1 + 2)'))).toEqual([]);
  });
});

describe('composite formulas: bad input is a clean error with a position', () => {
  it.each([
    ['an empty formula', '', 'ends where a value is expected', 0],
    ['a dangling operator', '1 +', 'ends where a value is expected', 3],
    ['two values side by side', '1 2', 'unexpected number 2', 2],
    ['an unclosed parenthesis', '(1 + 2', 'expected ")"', 6],
    ['a stray closing parenthesis', '1 + 2)', 'unexpected ")"', 5],
    ['an unclosed reference', '{air.aqi + 1', 'never closed', 0],
    ['a reference that is not a key', '{Air Quality}', 'not an indicator key', 1],
    ['an unknown function', 'sqrt(4)', 'unknown function "sqrt"', 0],
    ['a bare name (eval-looking)', 'process', 'unknown function "process"', 0],
    ['JavaScript injection', 'constructor.constructor("return 1")()', 'unexpected character "."', 11],
    ['an unknown character', '1 ^ 2', 'unexpected character "^"', 2],
    ['a string literal', '"1"', 'unexpected character', 0],
    ['clamp with two arguments', 'clamp(1, 2)', 'clamp takes clamp(x, lo, hi), got 2 arguments', 0],
    ['abs with none', 'abs()', 'abs takes abs(x), got 0 arguments', 0],
    ['round with three', 'round(1, 2, 3)', 'round takes round(x[, digits])', 0],
    ['score with an unpaired point', 'score(1, 0, 0, 10)', 'score takes', 0],
    ['score with an even number of arguments', 'score(1, 0, 0, 10, 100, 20)', 'odd number', 0],
    ['score with decreasing x points', 'score(1, 10, 0, 5, 100)', 'must increase', 0],
    ['a function without parentheses', 'max + 1', 'expected "("', 4],
    ['a missing comma', 'max(1 2)', 'expected ")"', 6],
    ['a trailing comma', 'max(1, )', 'unexpected ")"', 7],
  ])('%s: %p', (_name, formula, message, position) => {
    let error: unknown;
    try {
      parseFormula(formula);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormulaError);
    expect((error as FormulaError).message).toContain(message);
    expect((error as FormulaError).position).toBe(position);
  });

  it.each([
    ['10,000 nested parentheses', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
    ['10,000 unary minus signs', `${'-'.repeat(10_000)}1`],
    ['10,000 nested function calls', `${'abs('.repeat(10_000)}1${')'.repeat(10_000)}`],
  ])('refuses %s with a clean error, not a stack overflow', (_name, formula) => {
    expect(() => parseFormula(formula)).toThrow(new RegExp(`nests deeper than ${MAX_FORMULA_DEPTH} levels`));
  });

  it('accepts a long flat sum (length is not depth)', () => {
    expect(evaluate(Array.from({ length: 500 }, () => '1').join(' + '))).toBe(500);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_FORMULA_DEPTH - 1;
    expect(evaluate(`${'('.repeat(depth)}7${')'.repeat(depth)}`)).toBe(7);
  });
});
