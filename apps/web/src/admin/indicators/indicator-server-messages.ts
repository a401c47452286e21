import { SEVERITIES, type ThresholdOperator } from '@cityops/contracts';
import type { KnownServerMessage } from '../../forms/server-messages';
import type { Translate } from '../../i18n';
import { severityLabel } from '../webhooks/webhook-labels';
import { OP_SIGNS } from './indicator-form';
import { AREA_LEVEL_LABELS } from './indicator-labels';

/**
 * A level named by the server: a severity (`critical`) or an area level (`district`), in the
 * page's language; anything else as written.
 */
function levelWord(level: string, t: Translate): string {
  if ((SEVERITIES as readonly string[]).includes(level)) return severityLabel(t, level);
  const areaLevel = AREA_LEVEL_LABELS[level];
  return areaLevel ? t(areaLevel) : level;
}

const sign = (op: string): string => OP_SIGNS[op as ThresholdOperator] ?? op;

/** What the parser says it met (`number 2`, `"+"`, `{a.b}`, `the end of the formula`), in the page's language. */
function tokenWord(token: string, t: Translate): string {
  if (token === 'the end of the formula') return t('srvFormulaTokenEnd');
  if (token.startsWith('number ')) return t('srvFormulaTokenNumber', { n: token.slice('number '.length) });
  const quoted = /^"(.*)"$/.exec(token);
  return quoted ? t('srvFormulaTokenQuoted', { text: quoted[1] }) : token;
}

/** The parser's problems (libs/indicators/src/formula.ts), without the position it appends. */
const FORMULA_PROBLEMS: KnownServerMessage[] = [
  { pattern: /^a reference `\{` is never closed with `\}`$/, key: 'srvFormulaUnclosedRef' },
  { pattern: /^"(.*)" is not an indicator key \(a-z, 0-9, _ \. -\)$/s, key: 'srvFormulaBadKey', params: (m) => ({ key: m[1] }) },
  { pattern: /^unexpected character "(.*)"$/, key: 'srvFormulaBadChar', params: (m) => ({ char: m[1] }) },
  {
    pattern: /^unexpected (.+): expected an operator or the end$/,
    key: 'srvFormulaExpectedOperator',
    params: (m, t) => ({ token: tokenWord(m[1], t) }),
  },
  {
    pattern: /^unexpected (.+): expected a number, \{indicator\.key\}, a function or "\("$/,
    key: 'srvFormulaExpectedValue',
    params: (m, t) => ({ token: tokenWord(m[1], t) }),
  },
  {
    pattern: /^expected "\)" to close the "\(" at character (\d+), found (.+)$/,
    key: 'srvFormulaUnclosedParen',
    params: (m, t) => ({ at: m[1], token: tokenWord(m[2], t) }),
  },
  {
    pattern: /^expected "\(" after (\w+), found (.+)$/,
    key: 'srvFormulaCallParen',
    params: (m, t) => ({ fn: m[1], token: tokenWord(m[2], t) }),
  },
  {
    pattern: /^expected "\)" to close (\w+)\(, found (.+)$/,
    key: 'srvFormulaUnclosedCall',
    params: (m, t) => ({ fn: m[1], token: tokenWord(m[2], t) }),
  },
  { pattern: /^the formula ends where a value is expected$/, key: 'srvFormulaEndsEarly' },
  {
    pattern: /^unknown function "(.*)" \(known: (.*); indicators are written in braces: \{key\}\)$/,
    key: 'srvFormulaUnknownFunction',
    params: (m) => ({ name: m[1], known: m[2] }),
  },
  { pattern: /^score takes x then \(x_i, s_i\) pairs: an odd number of arguments$/, key: 'srvFormulaScorePairs' },
  { pattern: /^(\w+) takes (.+), got (\d+) arguments?$/, key: 'srvFormulaArity', params: (m) => ({ fn: m[1], usage: m[2], n: m[3] }) },
  { pattern: /^score’s x points must increase from left to right$/, key: 'srvFormulaScoreOrder' },
  { pattern: /^the formula nests deeper than (\d+) levels$/, key: 'srvFormulaTooDeep', params: (m) => ({ n: m[1] }) },
];

function formulaProblem(problem: string, t: Translate): string {
  for (const { pattern, key, params } of FORMULA_PROBLEMS) {
    const match = pattern.exec(problem);
    if (match) return t(key, params?.(match, t));
  }
  return problem;
}

/**
 * What the indicator editor can be told by the server besides zod's generic messages: the
 * definition's checks against the catalog and between threshold fields
 * (libs/indicators/src/indicator-validation.ts), the formula parser's errors with their position
 * (formula.ts), and the theme rule of the contract. Names and numbers are kept; levels and
 * operators are said as the editor shows them.
 */
export const INDICATOR_SERVER_MESSAGES: KnownServerMessage[] = [
  { pattern: /^a theme key: a-z, 0-9, _ -$/, key: 'srvThemeRule' },
  { pattern: /^level (\S+) is given twice$/, key: 'srvLevelTwice', params: (m, t) => ({ level: levelWord(m[1], t) }) },
  {
    pattern: /^levels go from least to most severe \((.+)\): (\S+) comes before (\S+)$/,
    key: 'srvLevelOrder',
    params: (m, t) => ({
      order: m[1]
        .split(' < ')
        .map((l) => levelWord(l, t))
        .join(' < '),
      level: levelWord(m[2], t),
      other: levelWord(m[3], t),
    }),
  },
  {
    pattern: /^every level points the same way: (\S+) uses (\S+), so use (\S+) or (\S+) here too$/,
    key: 'srvOneDirection',
    params: (m, t) => ({ level: levelWord(m[1], t), op: sign(m[2]), a: sign(m[3]), b: sign(m[4]) }),
  },
  {
    pattern: /^(\S+) \((.+)\) must be above (\S+) \((.+)\): thresholds out of order$/,
    key: 'srvThresholdAbove',
    params: (m, t) => ({ level: levelWord(m[1], t), value: m[2], other: levelWord(m[3], t), otherValue: m[4] }),
  },
  {
    pattern: /^(\S+) \((.+)\) must be below (\S+) \((.+)\): thresholds out of order$/,
    key: 'srvThresholdBelow',
    params: (m, t) => ({ level: levelWord(m[1], t), value: m[2], other: levelWord(m[3], t), otherValue: m[4] }),
  },
  {
    pattern: /^clear \((.+)\) must be on the safe side of (.+): at or below it$/,
    key: 'srvClearAtOrBelow',
    params: (m) => ({ clear: m[1], value: m[2] }),
  },
  {
    pattern: /^clear \((.+)\) must be on the safe side of (.+): at or above it$/,
    key: 'srvClearAtOrAbove',
    params: (m) => ({ clear: m[1], value: m[2] }),
  },
  {
    pattern: /^"(.*)" is not a level an indicator can be grouped by \((.+); event zones: use zoneSet\)$/,
    key: 'srvNotGroupingLevel',
    params: (m, t) => ({
      level: m[1],
      levels: m[2]
        .split(', ')
        .map((l) => levelWord(l, t))
        .join(' / '),
    }),
  },
  { pattern: /^no zone set (.+) \(GET \/api\/layers lists them\)$/, key: 'srvNoSuchZoneSet', params: (m) => ({ key: m[1] }) },
  { pattern: /^no feed (.+) \(GET \/api\/feeds\)$/, key: 'srvNoFeedNamed', params: (m) => ({ feed: m[1] }) },
  {
    pattern: /^feed (\S+) has no metric (.+) \(it has: none\)$/,
    key: 'srvFeedNoMetricNone',
    params: (m) => ({ feed: m[1], metric: m[2] }),
  },
  {
    pattern: /^feed (\S+) has no metric (.+) \(it has: (.*)\)$/,
    key: 'srvFeedNoMetric',
    params: (m) => ({ feed: m[1], metric: m[2], metrics: m[3] }),
  },
  { pattern: /^the formula reads (\{.+\}), which is not an indicator$/, key: 'srvFormulaMissing', params: (m) => ({ ref: m[1] }) },
  { pattern: /^the formula makes a cycle: (.+)$/, key: 'srvFormulaCycle', params: (m) => ({ cycle: m[1] }) },
  {
    pattern: /^(.+) \(at character (\d+)\)$/s,
    key: 'srvFormulaAt',
    params: (m, t) => ({ problem: formulaProblem(m[1], t), at: m[2] }),
  },
];
