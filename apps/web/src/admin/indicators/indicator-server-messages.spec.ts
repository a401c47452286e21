import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../api/client';
import { formErrors } from '../../forms/form-errors';
import { serverMessage } from '../../forms/server-messages';
import { translate, type MessageKey, type Params } from '../../i18n';
import { INDICATOR_FIELDS, onEditorFields } from './indicator-form';

const zh = (key: MessageKey, params?: Params) => translate('zh', key, params);
const en = (key: MessageKey, params?: Params) => translate('en', key, params);

/*
 * The server's messages exactly as it words them, copied from what
 * libs/indicators/src/indicator-validation.ts, libs/indicators/src/formula.ts and zod (with the
 * schemas of libs/contracts/src/indicators.ts and thresholds.ts) answer. The web bundle imports
 * nothing from the server libs, so they are literals here: a server wording that changes leaves
 * its row showing English, which these tables catch only when updated with it.
 */

/** indicator-validation.ts: the definition against the catalog and between threshold fields. */
const VALIDATION: [server: string, zh: string, en: string][] = [
  ['level critical is given twice', '“严重”重复了', 'Critical is given twice'],
  ['level district is given twice', '“区”重复了', 'district is given twice'],
  [
    'levels go from least to most severe (notice < warning < critical): warning comes before critical',
    '级别须从轻到重排列（提示 < 预警 < 严重）：预警应排在严重之前',
    'Levels go from least to most severe (Notice < Warning < Critical): Warning comes before Critical',
  ],
  [
    'every level points the same way: warning uses >=, so use >= or > here too',
    '各级别的条件方向须一致：预警用的是 ≥，这里也要用 ≥ 或 >',
    'Every level points the same way: Warning uses ≥, so use ≥ or > here too',
  ],
  [
    'every level points the same way: notice uses <, so use <= or < here too',
    '各级别的条件方向须一致：提示用的是 <，这里也要用 ≤ 或 <',
    'Every level points the same way: Notice uses <, so use ≤ or < here too',
  ],
  [
    'critical (3) must be above warning (5): thresholds out of order',
    '阈值顺序不对：严重（3）须高于预警（5）',
    'Thresholds out of order: Critical (3) must be above Warning (5)',
  ],
  [
    'critical (-0.5) must be below warning (0.25): thresholds out of order',
    '阈值顺序不对：严重（-0.5）须低于预警（0.25）',
    'Thresholds out of order: Critical (-0.5) must be below Warning (0.25)',
  ],
  [
    'clear (6) must be on the safe side of 5: at or below it',
    '解除值（6）须在安全一侧：不高于阈值 5',
    'Clear (6) must be on the safe side: at or below the value 5',
  ],
  [
    'clear (4) must be on the safe side of 5: at or above it',
    '解除值（4）须在安全一侧：不低于阈值 5',
    'Clear (4) must be on the safe side: at or above the value 5',
  ],
  [
    '"zone" is not a level an indicator can be grouped by (city, district, street, community, grid; event zones: use zoneSet)',
    '“zone”不是指标可按其汇总的层级（可选：市 / 区 / 街道 / 社区 / 网格；活动分区请选分区集）',
    '"zone" is not a level an indicator can be grouped by (city / district / street / community / grid; for event zones choose a zone set)',
  ],
  ['no zone set gz-x (GET /api/layers lists them)', '没有标识为“gz-x”的分区集', 'There is no zone set "gz-x"'],
  ['no feed river-gauges (GET /api/feeds)', '没有数据源“river-gauges”', 'There is no feed "river-gauges"'],
  [
    'feed marathon-crowd has no metric head count (it has: headcount, queue)',
    '数据源“marathon-crowd”没有指标项“head count”（它有：headcount, queue）',
    'The feed "marathon-crowd" has no metric "head count" (it has: headcount, queue)',
  ],
  [
    'feed new-feed has no metric level (it has: none)',
    '数据源“new-feed”没有指标项“level”（它还没有任何指标项）',
    'The feed "new-feed" has no metric "level" (it has none yet)',
  ],
  [
    'the formula reads {aqi.missing}, which is not an indicator',
    '公式引用的 {aqi.missing} 不是已有的指标',
    'The formula reads {aqi.missing}, which is not an indicator',
  ],
  [
    'the formula makes a cycle: city.index → aqi.score → city.index',
    '公式形成了循环引用：city.index → aqi.score → city.index',
    'The formula makes a cycle: city.index → aqi.score → city.index',
  ],
];

/** formula.ts: the parser's errors, each with the character it points at. */
const FORMULA: [server: string, zh: string, en: string][] = [
  [
    'a reference `{` is never closed with `}` (at character 5)',
    '引用的“{”没有用“}”闭合（第 5 个字符处）',
    'A reference "{" is never closed with "}" (at character 5)',
  ],
  [
    '"AQI District" is not an indicator key (a-z, 0-9, _ . -) (at character 2)',
    '“AQI District”不是有效的指标标识（a-z、0-9、_ . -）（第 2 个字符处）',
    '"AQI District" is not an indicator key (a-z, 0-9, _ . -) (at character 2)',
  ],
  ['unexpected character "#" (at character 3)', '无法识别的字符“#”（第 3 个字符处）', 'Unexpected character "#" (at character 3)'],
  [
    'unexpected number 2: expected an operator or the end (at character 3)',
    '此处不应出现数字 2：应为运算符或公式结尾（第 3 个字符处）',
    'Unexpected number 2: expected an operator or the end (at character 3)',
  ],
  [
    'unexpected {aqi.district}: expected an operator or the end (at character 4)',
    '此处不应出现{aqi.district}：应为运算符或公式结尾（第 4 个字符处）',
    'Unexpected {aqi.district}: expected an operator or the end (at character 4)',
  ],
  [
    'unexpected ")": expected a number, {indicator.key}, a function or "(" (at character 7)',
    '此处不应出现“)”：应为数字、{指标标识}、函数或“(”（第 7 个字符处）',
    'Unexpected ")": expected a number, {indicator.key}, a function or "(" (at character 7)',
  ],
  [
    'expected ")" to close the "(" at character 1, found the end of the formula (at character 3)',
    '第 1 个字符处的“(”缺少对应的“)”，却遇到了公式结尾（第 3 个字符处）',
    'Expected ")" to close the "(" at character 1, found the end of the formula (at character 3)',
  ],
  [
    'expected "(" after min, found number 1 (at character 5)',
    'min 后面应为“(”，却遇到了数字 1（第 5 个字符处）',
    'Expected "(" after min, found number 1 (at character 5)',
  ],
  [
    'expected ")" to close max(, found "foo" (at character 10)',
    'max( 缺少对应的“)”，却遇到了“foo”（第 10 个字符处）',
    'Expected ")" to close max(, found "foo" (at character 10)',
  ],
  [
    'the formula ends where a value is expected (at character 1)',
    '公式在应有数值处结束了（第 1 个字符处）',
    'The formula ends where a value is expected (at character 1)',
  ],
  [
    'unknown function "foo" (known: min, max, clamp, abs, round, coalesce, score; indicators are written in braces: {key}) (at character 1)',
    '未知函数“foo”（可用：min, max, clamp, abs, round, coalesce, score；引用指标请写在花括号里：{指标标识}）（第 1 个字符处）',
    'Unknown function "foo" (known: min, max, clamp, abs, round, coalesce, score; indicators are written in braces: {indicator.key}) (at character 1)',
  ],
  [
    'clamp takes clamp(x, lo, hi), got 1 argument (at character 1)',
    'clamp 的写法是 clamp(x, lo, hi)，这里给了 1 个参数（第 1 个字符处）',
    'clamp takes clamp(x, lo, hi); arguments given: 1 (at character 1)',
  ],
  [
    'round takes round(x[, digits]), got 0 arguments (at character 1)',
    'round 的写法是 round(x[, digits])，这里给了 0 个参数（第 1 个字符处）',
    'round takes round(x[, digits]); arguments given: 0 (at character 1)',
  ],
  [
    'score takes score(x, x1, s1, x2, s2, …), got 4 arguments (at character 1)',
    'score 的写法是 score(x, x1, s1, x2, s2, …)，这里给了 4 个参数（第 1 个字符处）',
    'score takes score(x, x1, s1, x2, s2, …); arguments given: 4 (at character 1)',
  ],
  [
    'score takes x then (x_i, s_i) pairs: an odd number of arguments (at character 1)',
    'score 的参数是 x 加上若干 (x_i, s_i) 对：参数个数须为奇数（第 1 个字符处）',
    'score takes x then (x_i, s_i) pairs: an odd number of arguments (at character 1)',
  ],
  [
    'score’s x points must increase from left to right (at character 1)',
    'score 的 x 点须从左到右递增（第 1 个字符处）',
    'score’s x points must increase from left to right (at character 1)',
  ],
  [
    'the formula nests deeper than 64 levels (at character 65)',
    '公式嵌套超过 64 层（第 65 个字符处）',
    'The formula nests deeper than 64 levels (at character 65)',
  ],
];

/** zod on the contract's schemas: the fields of an aggregate or a composite source, thresholds, the rest. */
const ZOD: [server: string, zh: string, en: string][] = [
  ['Invalid input: expected string, received undefined', '必填', 'Required'],
  ['Invalid input: expected object, received undefined', '必填', 'Required'],
  ['Too small: expected string to have >=1 characters', '必填', 'Required'],
  ['Too big: expected string to have <=2000 characters', '不能超过 2000 个字符', 'At most 2000 characters'],
  [
    'not a valid key (a-z, 0-9, _ . -)',
    '不是有效的标识：只能使用小写字母、数字和 _ . -，以字母或数字开头',
    'Not a valid key: lower-case letters, digits and _ . -, starting with a letter or digit',
  ],
  [
    'a theme key: a-z, 0-9, _ -',
    '主题标识只能使用小写字母、数字和 _ -，最多 50 个字符',
    'A theme key: lower-case letters, digits, _ -, at most 50 characters',
  ],
  ['Too small: expected number to be >=10', '不能小于 10', 'At least 10'],
  ['Too big: expected number to be <=604800', '不能大于 604800', 'At most 604800'],
  ['Too small: expected number to be >=0', '不能小于 0', 'At least 0'],
  ['Invalid input: expected int, received number', '须为整数', 'Must be a whole number'],
  ['Invalid input: expected number, received string', '须为数字', 'Must be a number'],
  ['Invalid input: expected boolean, received string', '须为“是”或“否”', 'Must be yes or no'],
  ['Invalid input: expected object, received string', '类型不对（应为 object）', 'Wrong type (expected object)'],
  ['Invalid input: expected "aggregate"', '须为 "aggregate"', 'Must be "aggregate"'],
  [
    'Invalid option: expected one of "latest"|"sum"|"avg"|"min"|"max"|"count"|"p95"|"rate_per_minute"',
    '须为以下之一："latest", "sum", "avg", "min", "max", "count", "p95", "rate_per_minute"',
    'Must be one of "latest", "sum", "avg", "min", "max", "count", "p95", "rate_per_minute"',
  ],
  ['Invalid option: expected one of ">="|">"|"<="|"<"', '须为以下之一：">=", ">", "<=", "<"', 'Must be one of ">=", ">", "<=", "<"'],
  [
    "Invalid discriminator value. Expected 'aggregate' | 'composite'",
    "须为以下之一：'aggregate', 'composite'",
    "Must be one of 'aggregate', 'composite'",
  ],
  ['Unrecognized key: "extra"', '无法识别的字段："extra"', 'Unknown field: "extra"'],
  ['Unrecognized keys: "a", "b"', '无法识别的字段："a", "b"', 'Unknown field: "a", "b"'],
  ['Too small: expected array to have >=1 items', '请至少选择一项', 'Choose at least one'],
  ['Too big: expected array to have <=3 items', '最多只能选择 3 项', 'At most 3 may be chosen'],
  ['Invalid input', '内容无效', 'Not valid'],
];

describe('the indicator editor says the server’s reasons in the page’s language', () => {
  describe.each([
    ['the definition’s checks', VALIDATION],
    ['the formula parser', FORMULA],
    ['zod on the contract', ZOD],
  ])('%s', (_, rows) => {
    it.each(rows)('"%s"', (server, inZh, inEn) => {
      expect(serverMessage(server, zh)).toBe(inZh);
      expect(serverMessage(server, en)).toBe(inEn);
    });
  });

  it('keeps a formula problem it has no words for as written, with the position still said', () => {
    expect(serverMessage('something new (at character 4)', zh)).toBe('something new（第 4 个字符处）');
  });

  it('places each reason under the editor field its path names, in Chinese', () => {
    const refused = new ApiError({
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [
        { path: 'source.formula', message: 'unexpected number 2: expected an operator or the end (at character 3)' },
        { path: 'thresholds.levels.1.value', message: 'critical (3) must be above warning (5): thresholds out of order' },
        { path: 'thresholds.levels.0.clear', message: 'clear (6) must be on the safe side of 5: at or below it' },
        { path: 'grouping.zoneSet', message: 'no zone set gz-x (GET /api/layers lists them)' },
        { path: 'source.windowSeconds', message: 'Invalid input: expected number, received string' },
      ],
    });
    expect(formErrors(onEditorFields(refused), INDICATOR_FIELDS, zh).byField).toEqual({
      formula: ['此处不应出现数字 2：应为运算符或公式结尾（第 3 个字符处）'],
      threshold1: ['阈值顺序不对：严重（3）须高于预警（5）'],
      threshold0: ['解除值（6）须在安全一侧：不高于阈值 5'],
      grouping: ['没有标识为“gz-x”的分区集'],
      windowSeconds: ['须为数字'],
    });
  });
});
