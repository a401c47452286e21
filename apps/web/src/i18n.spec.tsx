import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { dictionaries, getLang, setLang, translate, useI18n, type Lang, type MessageKey } from './i18n';
import { LangSwitch } from './LangSwitch';

const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The i18n module as a fresh page load at `url` sees it (it reads the address once, on load). */
async function loadAt(url: string): Promise<{ lang: Lang; documentLang: string }> {
  window.history.replaceState(null, '', url);
  let lang: Lang = 'zh';
  await jest.isolateModulesAsync(async () => {
    const fresh = await import('./i18n');
    lang = fresh.getLang();
  });
  return { lang, documentLang: document.documentElement.lang };
}

/**
 * Messages whose placeholders differ by language because the wording does; their callers pass
 * the parameters of both.
 */
const LANGUAGE_SPECIFIC: Partial<Record<MessageKey, string>> = {
  kpiWarningZones: 'English opens with the zones, capitalised ({Zones})',
  kpiCriticalZones: 'English opens with the zones, capitalised ({Zones})',
  kpiOfTotal: "Chinese counts with the zones' counter word (共 21 段: {unit}), English with their plural noun ({zones})",
  legendTitle: 'English says only "Load"',
};

function Title() {
  const { t, lang, locale } = useI18n();
  return (
    <h1 data-lang={lang} data-locale={locale}>
      {t('kpiOfTotal', { n: 21, unit: '段', zones: 'segments' })}
    </h1>
  );
}

describe('i18n', () => {
  beforeEach(() => {
    setLang('zh');
    localStorage.clear();
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('has the same keys in both languages, every Chinese message written out', () => {
    const keys = Object.keys(dictionaries.zh).sort() as MessageKey[];
    expect(Object.keys(dictionaries.en).sort()).toEqual(keys);
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => typeof dictionaries.en[key] !== 'string')).toEqual([]);
    expect(keys.filter((key) => dictionaries.zh[key].trim() === '')).toEqual([]);
    // English leaves out some unit words (人, 段, 条); nothing else may be blank.
    expect(keys.filter((key) => dictionaries.en[key].trim() === '' && !key.endsWith('Unit'))).toEqual([]);
  });

  it('uses the same placeholders in both languages, except where the wording differs on purpose', () => {
    const differs = (key: MessageKey) => placeholders(dictionaries.zh[key]).join() !== placeholders(dictionaries.en[key]).join();
    const mismatched = (Object.keys(dictionaries.zh) as MessageKey[])
      .filter((key) => differs(key) && !(key in LANGUAGE_SPECIFIC))
      .map((key) => `${key}: zh {${placeholders(dictionaries.zh[key]).join()}} en {${placeholders(dictionaries.en[key]).join()}}`);
    expect(mismatched).toEqual([]);
    // An exception that no longer differs is stale: take it out of the table.
    expect((Object.keys(LANGUAGE_SPECIFIC) as MessageKey[]).filter((key) => !differs(key))).toEqual([]);
  });

  it('fills in every placeholder, leaves an unknown one visible, and leaves templates alone without parameters', () => {
    expect(translate('zh', 'kpiOfTotal', { n: 21, unit: '段', zones: 'segments' })).toBe('共 21 段');
    expect(translate('en', 'kpiOfTotal', { n: 21, unit: '段', zones: 'segments' })).toBe('of 21 segments');
    expect(translate('zh', 'replayResult', { replayed: 3, accepted: 2, duplicates: 0, still: 1 })).toBe(
      '已处理 3 条：接受 2，重复 0，仍被拒 1',
    );
    // A missing parameter shows as the placeholder, so the gap is seen rather than rendered as "undefined".
    expect(translate('en', 'replayResult', { replayed: 3 })).toBe(
      'Replayed 3: {accepted} accepted, {duplicates} duplicates, {still} still rejected',
    );
    expect(translate('en', 'feedsCount')).toBe('{n} in all');
    // A value that itself looks like a placeholder is inserted as text, not expanded again.
    expect(translate('en', 'signedInAs', { name: '{n}' })).toBe('{n}');
  });

  it('starts in Simplified Chinese and switches every subscriber to English, remembering the choice', () => {
    expect(getLang()).toBe('zh');
    render(
      <>
        <Title />
        <LangSwitch />
      </>,
    );
    expect(screen.getByRole('heading').textContent).toBe('共 21 段');
    expect(screen.getByRole('heading').dataset.locale).toBe('zh-CN');

    fireEvent.click(screen.getByRole('button', { name: 'Switch to English' }));
    expect(screen.getByRole('heading').textContent).toBe('of 21 segments');
    expect(screen.getByRole('heading').dataset.locale).toBe('en-GB');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('cityops.lang')).toBe('en');

    // And back, from the button that now speaks English.
    fireEvent.click(screen.getByRole('button', { name: dictionaries.en.langSwitchLabel }));
    expect(screen.getByRole('heading').dataset.lang).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('still switches when the kiosk browser refuses storage', () => {
    const setItem = jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('storage disabled', 'SecurityError');
    });
    render(<Title />);
    act(() => setLang('en'));
    expect(setItem).toHaveBeenCalledWith('cityops.lang', 'en');
    expect(screen.getByRole('heading').textContent).toBe('of 21 segments');
  });

  it.each([
    ['?lang=en opens in English', '/wall?kiosk=abc&lang=en', null, 'en', 'en'],
    ['?lang=en-US counts as English', '/wall?lang=en-US', null, 'en', 'en'],
    ['?lang=zh wins over a stored English choice', '/wall?lang=zh', 'en', 'zh', 'zh-CN'],
    ['without ?lang the stored choice is used', '/catalog', 'en', 'en', 'en'],
    ['an unknown ?lang falls back to the stored choice', '/wall?lang=fr', 'en', 'en', 'en'],
    ['with nothing to go on it is Chinese', '/wall', null, 'zh', 'zh-CN'],
  ] as const)('%s', async (_name, url, stored, lang, documentLang) => {
    if (stored) localStorage.setItem('cityops.lang', stored);
    expect(await loadAt(url)).toEqual({ lang, documentLang });
  });
});
