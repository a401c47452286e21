import { describe, expect, it } from '@jest/globals';
import { dictionaries, type MessageKey, type Params } from './i18n';
import { problemDetail, problemTitle } from './problem-messages';

const zh = (key: MessageKey, params?: Params) =>
  Object.entries(params ?? {}).reduce((text, [k, v]) => text.replace(`{${k}}`, String(v)), dictionaries.zh[key]);

describe('problem words', () => {
  it('titles a problem by its code first, then by its status, else as sent', () => {
    expect(problemTitle({ type: 'urn:cityops:problem:validation_failed', title: 'Validation failed', status: 400 }, zh)).toBe('填写有误');
    expect(problemTitle({ type: 'urn:cityops:problem:indicator_in_use', title: 'Conflict', status: 409 }, zh)).toBe('与现有内容冲突');
    expect(problemTitle({ type: 'about:blank', title: "I'm a teapot", status: 418 }, zh)).toBe("I'm a teapot");
  });

  it('words the details people meet when signing in, and leaves any other as written', () => {
    expect(problemDetail('Unknown or revoked display token.', zh)).toBe(dictionaries.zh.probDisplayToken);
    expect(problemDetail('Too many failed sign-ins from here; try again in 12 minutes.', zh)).toBe(
      '此处登录失败次数过多，请 12 分钟后再试。',
    );
    expect(problemDetail('Indicator air.aqi is read by city.vital_index.', zh)).toBe('Indicator air.aqi is read by city.vital_index.');
  });
});
