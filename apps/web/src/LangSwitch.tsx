import { useI18n } from './i18n';

/** 中文 ⇄ English; the choice is remembered by i18n for the next visit. */
export function LangSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t('langSwitchLabel')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('langSwitch')}
    </button>
  );
}
