/**
 * The composite formula language: numbers, `{indicator.key}` references, `+ - * /`, unary minus,
 * parentheses and a fixed set of functions. Parsed by hand (recursive descent) into an AST that
 * is evaluated per area; nothing is ever handed to `eval` or `Function`.
 */

export type FormulaNode =
  | { type: 'number'; value: number }
  | { type: 'ref'; key: string; position: number }
  | { type: 'negate'; operand: FormulaNode }
  | { type: 'binary'; op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode }
  | { type: 'call'; fn: FormulaFunction; args: FormulaNode[]; position: number };

export const FORMULA_FUNCTIONS = ['min', 'max', 'clamp', 'abs', 'round', 'coalesce', 'score'] as const;
export type FormulaFunction = (typeof FORMULA_FUNCTIONS)[number];

/** How many arguments each function takes (max: null for "any number"). */
const ARITY: Record<FormulaFunction, { min: number; max: number | null; usage: string }> = {
  min: { min: 1, max: null, usage: 'min(a, b, …)' },
  max: { min: 1, max: null, usage: 'max(a, b, …)' },
  clamp: { min: 3, max: 3, usage: 'clamp(x, lo, hi)' },
  abs: { min: 1, max: 1, usage: 'abs(x)' },
  round: { min: 1, max: 2, usage: 'round(x[, digits])' },
  coalesce: { min: 1, max: null, usage: 'coalesce(a, b, …)' },
  score: { min: 5, max: null, usage: 'score(x, x1, s1, x2, s2, …)' },
};

/** Nesting deeper than this is refused: a formula an admin writes never needs it, and the parser recurses. */
export const MAX_FORMULA_DEPTH = 64;

export class FormulaError extends Error {
  /** `position`: 0-based character offset in the formula where the problem is. */
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
    this.name = 'FormulaError';
  }
}

type Token =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'ref'; key: string; position: number }
  | { kind: 'ident'; name: string; position: number }
  | { kind: 'op'; op: '+' | '-' | '*' | '/' | '(' | ')' | ','; position: number }
  | { kind: 'end'; position: number };

const KEY = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ('+-*/(),'.includes(c)) {
      tokens.push({ kind: 'op', op: c as '+', position: i });
      i++;
      continue;
    }
    if (c === '{') {
      const close = text.indexOf('}', i + 1);
      if (close < 0) throw new FormulaError('a reference `{` is never closed with `}`', i);
      const key = text.slice(i + 1, close).trim();
      if (!KEY.test(key)) throw new FormulaError(`"${key}" is not an indicator key (a-z, 0-9, _ . -)`, i + 1);
      tokens.push({ kind: 'ref', key, position: i });
      i = close + 1;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), position: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64));
    if (ident) {
      tokens.push({ kind: 'ident', name: ident[0], position: i });
      i += ident[0].length;
      continue;
    }
    throw new FormulaError(`unexpected character "${c}"`, i);
  }
  tokens.push({ kind: 'end', position: text.length });
  return tokens;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'number':
      return `number ${t.value}`;
    case 'ref':
      return `{${t.key}}`;
    case 'ident':
      return `"${t.name}"`;
    case 'op':
      return `"${t.op}"`;
    case 'end':
      return 'the end of the formula';
  }
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FormulaNode {
    const node = this.expression();
    const next = this.peek();
    if (next.kind !== 'end') throw new FormulaError(`unexpected ${describe(next)}: expected an operator or the end`, next.position);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private take(): Token {
    return this.tokens[this.at++];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }

  /** Every way down the grammar passes here, so one counter bounds the recursion. */
  private nested<T>(position: number, parse: () => T): T {
    if (++this.depth > MAX_FORMULA_DEPTH) throw new FormulaError(`the formula nests deeper than ${MAX_FORMULA_DEPTH} levels`, position);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expression(): FormulaNode {
    return this.nested(this.peek().position, () => {
      let left = this.term();
      while (this.isOp('+') || this.isOp('-')) {
        const op = (this.take() as { op: '+' | '-' }).op;
        left = { type: 'binary', op, left, right: this.term() };
      }
      return left;
    });
  }

  private term(): FormulaNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.take() as { op: '*' | '/' }).op;
      left = { type: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): FormulaNode {
    const t = this.peek();
    if (t.kind === 'op' && (t.op === '-' || t.op === '+')) {
      this.take();
      return this.nested(t.position, () => {
        const operand = this.unary();
        return t.op === '-' ? { type: 'negate', operand } : operand;
      });
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const t = this.take();
    switch (t.kind) {
      case 'number':
        return { type: 'number', value: t.value };
      case 'ref':
        return { type: 'ref', key: t.key, position: t.position };
      case 'ident':
        return this.call(t.name, t.position);
      case 'op':
        if (t.op === '(') {
          const inner = this.expression();
          this.expect(')', 'to close the "(" at character ' + (t.position + 1));
          return inner;
        }
        throw new FormulaError(`unexpected ${describe(t)}: expected a number, {indicator.key}, a function or "("`, t.position);
      case 'end':
        throw new FormulaError('the formula ends where a value is expected', t.position);
    }
  }

  private expect(op: string, why: string): void {
    const t = this.peek();
    if (t.kind !== 'op' || t.op !== op) throw new FormulaError(`expected "${op}" ${why}, found ${describe(t)}`, t.position);
    this.take();
  }

  private call(name: string, position: number): FormulaNode {
    const fn = FORMULA_FUNCTIONS.find((f) => f === name.toLowerCase());
    if (!fn) {
      throw new FormulaError(
        `unknown function "${name}" (known: ${FORMULA_FUNCTIONS.join(', ')}; indicators are written in braces: {key})`,
        position,
      );
    }
    this.expect('(', `after ${fn}`);
    const args: FormulaNode[] = [];
    if (!this.isOp(')')) {
      do {
        args.push(this.expression());
      } while (this.isOp(',') && this.take());
    }
    this.expect(')', `to close ${fn}(`);
    const arity = ARITY[fn];
    if (args.length < arity.min || (arity.max !== null && args.length > arity.max)) {
      throw new FormulaError(`${fn} takes ${arity.usage}, got ${args.length} argument${args.length === 1 ? '' : 's'}`, position);
    }
    if (fn === 'score') checkScorePoints(args, position);
    return { type: 'call', fn, args, position };
  }
}

/** score's points come in (x, s) pairs, with constant x's strictly increasing. */
function checkScorePoints(args: FormulaNode[], position: number): void {
  if ((args.length - 1) % 2 !== 0) throw new FormulaError('score takes x then (x_i, s_i) pairs: an odd number of arguments', position);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < args.length; i += 2) {
    const x = constantValue(args[i]);
    if (x === null) continue;
    if (x <= previous) throw new FormulaError('score’s x points must increase from left to right', position);
    previous = x;
  }
}

function constantValue(node: FormulaNode): number | null {
  if (node.type === 'number') return node.value;
  if (node.type === 'negate') {
    const v = constantValue(node.operand);
    return v === null ? null : -v;
  }
  return null;
}

/** Parses a formula; a FormulaError says what is wrong and where. */
export function parseFormula(text: string): FormulaNode {
  return new Parser(tokenize(text)).parse();
}

/** The indicator keys a formula reads, each once, in order of first appearance. */
export function formulaReferences(node: FormulaNode): string[] {
  const keys = new Set<string>();
  const walk = (n: FormulaNode): void => {
    switch (n.type) {
      case 'ref':
        keys.add(n.key);
        break;
      case 'negate':
        walk(n.operand);
        break;
      case 'binary':
        walk(n.left);
        walk(n.right);
        break;
      case 'call':
        n.args.forEach(walk);
        break;
      case 'number':
        break;
    }
  };
  walk(node);
  return [...keys];
}

/** Piecewise-linear through (x_i, s_i), flat beyond the first and last points. */
function score(x: number, points: [number, number][]): number | null {
  for (let i = 1; i < points.length; i++) if (points[i][0] <= points[i - 1][0]) return null;
  const [x0, s0] = points[0];
  const [xn, sn] = points[points.length - 1];
  if (x <= x0) return s0;
  if (x >= xn) return sn;
  for (let i = 1; i < points.length; i++) {
    const [x1, s1] = points[i - 1];
    const [x2, s2] = points[i];
    if (x <= x2) return s1 + ((x - x1) * (s2 - s1)) / (x2 - x1);
  }
  return sn;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The formula's value for one area, `inputs` holding the area's latest value of each indicator it
 * has one for. Null (no value) when an input is missing and no `coalesce` covers it, or when the
 * arithmetic has no finite answer (division by zero).
 */
export function evaluateFormula(node: FormulaNode, inputs: ReadonlyMap<string, number>): number | null {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'ref':
      return inputs.get(node.key) ?? null;
    case 'negate': {
      const v = evaluateFormula(node.operand, inputs);
      return v === null ? null : -v;
    }
    case 'binary': {
      const l = evaluateFormula(node.left, inputs);
      if (l === null) return null;
      const r = evaluateFormula(node.right, inputs);
      if (r === null) return null;
      switch (node.op) {
        case '+':
          return finite(l + r);
        case '-':
          return finite(l - r);
        case '*':
          return finite(l * r);
        case '/':
          return r === 0 ? null : finite(l / r);
      }
      break;
    }
    case 'call':
      return evaluateCall(node.fn, node.args, inputs);
  }
  return null;
}

function evaluateCall(fn: FormulaFunction, argNodes: FormulaNode[], inputs: ReadonlyMap<string, number>): number | null {
  if (fn === 'coalesce') {
    for (const a of argNodes) {
      const v = evaluateFormula(a, inputs);
      if (v !== null) return v;
    }
    return null;
  }
  const args: number[] = [];
  for (const a of argNodes) {
    const v = evaluateFormula(a, inputs);
    if (v === null) return null;
    args.push(v);
  }
  switch (fn) {
    case 'min':
      return Math.min(...args);
    case 'max':
      return Math.max(...args);
    case 'clamp':
      return args[1] > args[2] ? null : Math.min(Math.max(args[0], args[1]), args[2]);
    case 'abs':
      return Math.abs(args[0]);
    case 'round': {
      const digits = Math.max(0, Math.min(10, Math.trunc(args[1] ?? 0)));
      const f = 10 ** digits;
      return Math.round(args[0] * f) / f;
    }
    case 'score': {
      const points: [number, number][] = [];
      for (let i = 1; i + 1 < args.length; i += 2) points.push([args[i], args[i + 1]]);
      return score(args[0], points);
    }
  }
}
