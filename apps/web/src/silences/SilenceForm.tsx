import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { IndicatorDefinitionView } from '@cityops/contracts';
import { localName } from '../admin/scope/area-tree';
import { useAreaDirectory } from '../admin/scope/AreaDirectory';
import { AreaField } from '../admin/scope/AreaField';
import { createSilence, type SilenceView } from '../api/silences-api';
import { LABELLED_THEMES, themeLabel } from '../catalog/labels';
import { serverNow } from '../clock';
import { formatDateTime } from '../format';
import { FieldMessages, FormProblem } from '../forms/FormMessages';
import { PanelHead } from '../forms/PanelHead';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n, type MessageKey } from '../i18n';
import {
  cityTimeInput,
  DURATIONS,
  EMPTY_SILENCE_FORM,
  plannedEnd,
  SILENCE_FIELDS,
  silenceRequest,
  themeChoices,
  type DurationChoice,
  type SilenceFormValues,
} from './silence-form';

const DURATION_LABELS: Record<DurationChoice, MessageKey> = {
  '30m': 'silenceFor30m',
  '1h': 'silenceFor1h',
  '4h': 'silenceFor4h',
  custom: 'silenceForCustom',
};

export interface SilenceFormProps {
  indicators: readonly IndicatorDefinitionView[];
  /** The person's scope is the whole city (otherwise the silence must name an area in it). */
  cityWide: boolean;
  onCreated: (silence: SilenceView) => void;
  onCancel: () => void;
}

/** A new silence: what it matches (indicator, area, theme: any of them), when, and why. */
export function SilenceForm({ indicators, cityWide, onCreated, onCancel }: SilenceFormProps) {
  const { t, lang } = useI18n();
  const directory = useAreaDirectory();
  const [values, setValues] = useState<SilenceFormValues>(EMPTY_SILENCE_FORM);
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors(SILENCE_FIELDS);
  const titleId = useId();
  const set = <K extends keyof SilenceFormValues>(key: K, value: SilenceFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const invalid = (field: (typeof SILENCE_FIELDS)[number]) => (errors.byField[field]?.length ? true : undefined);

  const sorted = useMemo(() => [...indicators].sort((a, b) => a.key.localeCompare(b.key)), [indicators]);
  const themes = useMemo(
    () =>
      themeChoices(
        LABELLED_THEMES,
        sorted.map((i) => i.theme),
        values.theme,
      ),
    [sorted, values.theme],
  );
  const end = plannedEnd(values, serverNow());
  // On a narrow screen the form opens under the list: bring it into view.
  useEffect(() => {
    formRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [formRef]);

  const chooseDuration = (duration: DurationChoice) =>
    setValues((v) => {
      // Switching to an end of one's own starts from the end the preset had.
      const preset = plannedEnd(v, serverNow());
      return { ...v, duration, end: duration === 'custom' && !v.end && preset !== null ? cityTimeInput(preset) : v.end };
    });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const check = silenceRequest(values, {
      now: serverNow(),
      areaIdOf: (code) => directory.index.byCode.get(code)?.id,
      cityWide,
    });
    if (!check.ok) {
      refuse((tr) => Object.fromEntries(Object.entries(check.problems).map(([field, keys]) => [field, keys.map((key) => tr(key))])));
      return;
    }
    setBusy(true);
    clear();
    try {
      onCreated(await createSilence(check.request));
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="admin-form silence-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="silence-form"
    >
      <PanelHead titleId={titleId} title={t('silenceCreateTitle')} onClose={onCancel} />
      <p className="form-hint">{t(cityWide ? 'silenceTargetHint' : 'silenceTargetHintScoped')}</p>

      <label className="form-field">
        <span className="form-label">{t('silenceIndicator')}</span>
        <select
          name="indicatorKey"
          className="select-input"
          value={values.indicatorKey}
          aria-invalid={invalid('indicatorKey')}
          onChange={(e) => set('indicatorKey', e.target.value)}
        >
          <option value="">{t('silenceAnyIndicator')}</option>
          {sorted.map((indicator) => (
            <option key={indicator.key} value={indicator.key}>
              {localName(indicator, lang)} ({indicator.key})
            </option>
          ))}
        </select>
        <FieldMessages messages={errors.byField.indicatorKey} />
      </label>

      <div className="form-field">
        <span className="form-label">{t('silenceArea')}</span>
        <div className={`silence-area${invalid('areaId') ? ' scope-picker--invalid' : ''}`} data-field="areaId">
          <AreaField code={values.areaCode} onChange={(code) => set('areaCode', code)} label={t('silenceArea')} />
        </div>
        <span className="form-hint">{t(cityWide ? 'silenceAreaHint' : 'silenceAreaHintScoped')}</span>
        <FieldMessages messages={errors.byField.areaId} />
      </div>

      <label className="form-field">
        <span className="form-label">{t('silenceTheme')}</span>
        <select
          name="theme"
          className="select-input"
          value={values.theme}
          aria-invalid={invalid('theme')}
          onChange={(e) => set('theme', e.target.value)}
        >
          <option value="">{t('silenceAnyTheme')}</option>
          {themes.map((theme) => (
            <option key={theme} value={theme}>
              {themeLabel(t, theme)}
            </option>
          ))}
        </select>
        <FieldMessages messages={errors.byField.theme} />
      </label>

      <label className="form-field">
        <span className="form-label">{t('silenceStart')}</span>
        <input
          name="start"
          type="datetime-local"
          className="text-input"
          value={values.start}
          aria-invalid={invalid('startsAt')}
          onChange={(e) => set('start', e.target.value)}
        />
        <span className="form-hint">{t('silenceStartHint')}</span>
        <FieldMessages messages={errors.byField.startsAt} />
      </label>

      <fieldset className="form-field" aria-invalid={values.duration === 'custom' ? undefined : invalid('endsAt')}>
        <legend className="form-label">{t('silenceDuration')}</legend>
        <div className="role-choices silence-durations">
          {DURATIONS.map((duration) => (
            <label key={duration} className="role-choice">
              <input
                type="radio"
                name="duration"
                value={duration}
                checked={values.duration === duration}
                onChange={() => chooseDuration(duration)}
              />
              {t(DURATION_LABELS[duration])}
            </label>
          ))}
        </div>
        {values.duration === 'custom' ? (
          <input
            name="end"
            type="datetime-local"
            className="text-input"
            aria-label={t('silenceEndTime')}
            value={values.end}
            aria-invalid={invalid('endsAt')}
            onChange={(e) => set('end', e.target.value)}
          />
        ) : null}
        <span className="form-hint" data-testid="silence-planned-end">
          {end !== null ? t('silenceEndsAtHint', { time: formatDateTime(end) }) : t('silenceEndHint')}
        </span>
        <FieldMessages messages={errors.byField.endsAt} />
      </fieldset>

      <label className="form-field">
        <span className="form-label">{t('silenceReason')}</span>
        <textarea
          name="reason"
          className="text-input silence-reason-input"
          rows={3}
          maxLength={2000}
          value={values.reason}
          placeholder={t('silenceReasonPlaceholder')}
          aria-invalid={invalid('reason')}
          onChange={(e) => set('reason', e.target.value)}
        />
        <FieldMessages messages={errors.byField.reason} />
      </label>

      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="silence-form-submit">
          {busy ? t('saving') : t('silenceCreate')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
