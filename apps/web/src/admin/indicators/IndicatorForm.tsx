import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  AGGREGATIONS_ACROSS,
  AGGREGATIONS_PER_ENTITY,
  INDICATOR_GROUPING_LEVELS,
  NO_DATA_POLICIES,
  NORMALISATIONS,
  SEVERITIES,
  THRESHOLD_OPERATORS,
  type FeedDefinition,
  type IndicatorDefinitionView,
  type IndicatorPreview,
  type IndicatorWriteInput,
} from '@cityops/contracts';
import { fetchZoneSets } from '../../api/admin-api';
import { fetchFeeds } from '../../api/catalog-api';
import { createIndicator, previewIndicator, replaceIndicator } from '../../api/indicators-api';
import { useResource } from '../../catalog/useResource';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { RemoveRowButton, withoutIndex } from '../../forms/RemoveRowButton';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { severityLabel } from '../webhooks/webhook-labels';
import {
  EMPTY_INDICATOR_FORM,
  INDICATOR_FIELDS,
  indicatorDefinition,
  indicatorFormValues,
  missingFields,
  nextThresholdRow,
  onEditorFields,
  OP_SIGNS,
  type IndicatorField,
  type IndicatorFormValues,
  type ThresholdRow,
  zoneSetOptions,
} from './indicator-form';
import { AGGREGATION_LABELS, AREA_LEVEL_LABELS, NO_DATA_LABELS, NORMALISATION_LABELS } from './indicator-labels';
import { IndicatorPreviewPanel } from './IndicatorPreviewPanel';

function toggled(list: string[], value: string, on: boolean): string[] {
  return on ? [...list, value] : list.filter((v) => v !== value);
}

/**
 * Create or edit a vital sign, and preview it on the last hour of data before saving. The
 * server checks the definition (feed, metric, formula, thresholds' order) and its 400 lands on
 * the fields it names; only required text is checked here.
 */
export function IndicatorForm({
  indicator,
  onSaved,
  onCancel,
}: {
  indicator: IndicatorDefinitionView | null;
  onSaved: (saved: IndicatorDefinitionView, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<IndicatorFormValues>(() => (indicator ? indicatorFormValues(indicator) : EMPTY_INDICATOR_FORM));
  const [busy, setBusy] = useState<'save' | 'preview' | null>(null);
  const [preview, setPreview] = useState<{ preview: IndicatorPreview; definition: IndicatorWriteInput } | null>(null);
  const { errors, formRef, refuse, fail, clear } = useFormErrors<IndicatorField>(INDICATOR_FIELDS);
  const feeds = useResource('feeds', (signal) => fetchFeeds({}, signal));
  // Asked for only once the zone set grouping is chosen (most indicators group by area levels).
  const zoneSets = useResource(values.groupingKind === 'zoneSet' ? 'zone-sets' : null, (signal) => fetchZoneSets(signal));
  const titleId = useId();
  const set = <K extends keyof IndicatorFormValues>(key: K, value: IndicatorFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setRow = (index: number, patch: Partial<ThresholdRow>) =>
    setValues((v) => ({ ...v, thresholds: v.thresholds.map((row, i) => (i === index ? { ...row, ...patch } : row)) }));
  const invalid = (field: IndicatorField) => (errors.byField[field]?.length ? true : undefined);

  const feed: FeedDefinition | undefined = feeds.data?.find((f) => f.key === values.feed);

  const checked = (): boolean => {
    const missing = missingFields(values);
    if (!missing.length) return true;
    refuse((tr) => Object.fromEntries(missing.map((field) => [field, [tr('srvRequired')]])));
    return false;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!checked()) return;
    setBusy('save');
    clear();
    try {
      const definition = indicatorDefinition(values);
      onSaved(indicator ? await replaceIndicator(definition) : await createIndicator(definition), !indicator);
    } catch (failure) {
      fail(onEditorFields(failure), (tr) => ({
        byType: { 'urn:cityops:problem:indicator_exists': { field: 'key', message: tr('indicatorExists') } },
      }));
    } finally {
      setBusy(null);
    }
  };

  const runPreview = async () => {
    if (!checked()) return;
    setBusy('preview');
    clear();
    try {
      const definition = indicatorDefinition(values);
      setPreview({ preview: await previewIndicator(definition), definition });
    } catch (failure) {
      setPreview(null);
      fail(onEditorFields(failure));
    } finally {
      setBusy(null);
    }
  };

  const field = (name: IndicatorField, label: string, control: ReactNode, hint?: string) => (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {control}
      {hint ? <span className="form-hint">{hint}</span> : null}
      <FieldMessages messages={errors.byField[name]} />
    </label>
  );
  const textInput = (name: keyof IndicatorFormValues & IndicatorField, extra: { placeholder?: string; disabled?: boolean } = {}) => (
    <input
      name={name}
      className="text-input"
      autoComplete="off"
      value={values[name] as string}
      aria-invalid={invalid(name)}
      onChange={(e) => set(name, e.target.value as never)}
      {...extra}
    />
  );

  return (
    <div className="indicator-editor">
      <form
        ref={formRef}
        className="admin-panel admin-form indicator-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-labelledby={titleId}
        data-testid="indicator-form"
      >
        <PanelHead
          titleId={titleId}
          title={indicator ? t('indicatorEditTitle', { key: indicator.key }) : t('indicatorCreateTitle')}
          onClose={onCancel}
        />
        <div className="indicator-form-grid">
          {field(
            'key',
            t('indicatorKey'),
            textInput('key', { disabled: !!indicator, placeholder: 'crowd.example' }),
            t('indicatorKeyHint'),
          )}
          {field('theme', t('indicatorTheme'), textInput('theme'))}
          {field('name', t('indicatorName'), textInput('name'))}
          {field('nameEn', t('indicatorNameEn'), textInput('nameEn'))}
          {field('unit', t('indicatorUnit'), textInput('unit'))}
          <div className="form-field">
            <span className="form-label">{t('indicatorDecimals')}</span>
            <div className="inline-controls">
              <input
                name="decimals"
                type="number"
                min={0}
                max={4}
                className="text-input text-input--narrow"
                value={values.decimals}
                aria-invalid={invalid('format')}
                onChange={(e) => set('decimals', e.target.value)}
              />
              <label className="role-choice">
                <input type="checkbox" name="percent" checked={values.percent} onChange={(e) => set('percent', e.target.checked)} />
                {t('indicatorPercent')}
              </label>
            </div>
            <FieldMessages messages={errors.byField.format} />
          </div>
          {field(
            'description',
            t('indicatorDescription'),
            <textarea
              name="description"
              className="text-input"
              rows={2}
              value={values.description}
              onChange={(e) => set('description', e.target.value)}
            />,
          )}
          {field(
            'descriptionEn',
            t('indicatorDescriptionEn'),
            <textarea
              name="descriptionEn"
              className="text-input"
              rows={2}
              value={values.descriptionEn}
              onChange={(e) => set('descriptionEn', e.target.value)}
            />,
          )}
        </div>

        <fieldset className="form-field form-group" aria-invalid={invalid('source')}>
          <legend className="form-label">{t('indicatorSourceKind')}</legend>
          <div className="role-choices">
            {(['aggregate', 'composite'] as const).map((kind) => (
              <label key={kind} className="role-choice">
                <input
                  type="radio"
                  name="sourceKind"
                  value={kind}
                  checked={values.sourceKind === kind}
                  onChange={() => set('sourceKind', kind)}
                />
                {t(kind === 'aggregate' ? 'indicatorKindAggregate' : 'indicatorKindComposite')}
              </label>
            ))}
          </div>
          <FieldMessages messages={errors.byField.source} />
          {values.sourceKind === 'aggregate' ? (
            <div className="indicator-form-grid">
              {field(
                'feed',
                t('indicatorFeed'),
                <select
                  name="feed"
                  className="select-input"
                  value={values.feed}
                  aria-invalid={invalid('feed')}
                  onChange={(e) => setValues((v) => ({ ...v, feed: e.target.value, metric: '' }))}
                >
                  <option value="">{t('indicatorFeedChoose')}</option>
                  {values.feed && !feeds.data?.some((f) => f.key === values.feed) ? (
                    <option value={values.feed}>{values.feed}</option>
                  ) : null}
                  {(feeds.data ?? []).map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.name} ({f.key})
                    </option>
                  ))}
                </select>,
              )}
              {field(
                'metric',
                t('indicatorMetric'),
                <select
                  name="metric"
                  className="select-input"
                  value={values.metric}
                  aria-invalid={invalid('metric')}
                  onChange={(e) => set('metric', e.target.value)}
                >
                  <option value="">{t('indicatorMetricChoose')}</option>
                  {values.metric && !feed?.metrics.some((m) => m.key === values.metric) ? (
                    <option value={values.metric}>{values.metric}</option>
                  ) : null}
                  {(feed?.metrics ?? []).map((m) => (
                    <option key={m.key} value={m.key}>
                      {m.name ? `${m.name} (${m.key})` : m.key}
                      {m.unit ? ` · ${m.unit}` : ''}
                    </option>
                  ))}
                </select>,
              )}
              {field(
                'windowSeconds',
                t('indicatorWindow'),
                <input
                  name="windowSeconds"
                  type="number"
                  className="text-input"
                  value={values.windowSeconds}
                  aria-invalid={invalid('windowSeconds')}
                  onChange={(e) => set('windowSeconds', e.target.value)}
                />,
                t('indicatorWindowHint'),
              )}
              {field(
                'perEntity',
                t('indicatorPerEntity'),
                <select
                  name="perEntity"
                  className="select-input"
                  value={values.perEntity}
                  onChange={(e) => set('perEntity', e.target.value as IndicatorFormValues['perEntity'])}
                >
                  {AGGREGATIONS_PER_ENTITY.map((a) => (
                    <option key={a} value={a}>
                      {t(AGGREGATION_LABELS[a])}
                    </option>
                  ))}
                </select>,
              )}
              {field(
                'across',
                t('indicatorAcross'),
                <select
                  name="across"
                  className="select-input"
                  value={values.across}
                  onChange={(e) => set('across', e.target.value as IndicatorFormValues['across'])}
                >
                  {AGGREGATIONS_ACROSS.map((a) => (
                    <option key={a} value={a}>
                      {t(AGGREGATION_LABELS[a])}
                    </option>
                  ))}
                </select>,
              )}
              {field(
                'normalise',
                t('indicatorNormalise'),
                <select
                  name="normalise"
                  className="select-input"
                  value={values.normalise}
                  onChange={(e) => set('normalise', e.target.value as IndicatorFormValues['normalise'])}
                >
                  <option value="">{t('indicatorNormaliseNone')}</option>
                  {NORMALISATIONS.map((n) => (
                    <option key={n} value={n}>
                      {t(NORMALISATION_LABELS[n])}
                    </option>
                  ))}
                </select>,
              )}
            </div>
          ) : (
            <div className="formula-field">
              {field(
                'formula',
                t('indicatorFormula'),
                <textarea
                  name="formula"
                  className="text-input code-input"
                  rows={4}
                  value={values.formula}
                  aria-invalid={invalid('formula')}
                  onChange={(e) => set('formula', e.target.value)}
                />,
              )}
              <p className="form-hint formula-syntax" data-testid="formula-syntax">
                {t('indicatorFormulaSyntax')}
              </p>
            </div>
          )}
        </fieldset>

        <fieldset className="form-field form-group" aria-invalid={invalid('grouping')}>
          <legend className="form-label">{t('indicatorGrouping')}</legend>
          <div className="role-choices">
            {(['levels', 'zoneSet'] as const).map((kind) => (
              <label key={kind} className="role-choice">
                <input
                  type="radio"
                  name="groupingKind"
                  value={kind}
                  checked={values.groupingKind === kind}
                  onChange={() => set('groupingKind', kind)}
                />
                {t(kind === 'levels' ? 'indicatorGroupingLevels' : 'indicatorGroupingZoneSet')}
              </label>
            ))}
          </div>
          {values.groupingKind === 'levels' ? (
            <div className="role-choices">
              {INDICATOR_GROUPING_LEVELS.map((level) => (
                <label key={level} className="role-choice">
                  <input
                    type="checkbox"
                    name="levels"
                    value={level}
                    checked={values.levels.includes(level)}
                    onChange={(e) => set('levels', toggled(values.levels, level, e.target.checked))}
                  />
                  {t(AREA_LEVEL_LABELS[level])}
                </label>
              ))}
            </div>
          ) : (
            <label className="form-field">
              <select
                name="zoneSet"
                className="select-input"
                value={values.zoneSet}
                aria-label={t('indicatorGroupingZoneSet')}
                aria-invalid={invalid('grouping')}
                onChange={(e) => set('zoneSet', e.target.value)}
              >
                <option value="">{t('indicatorZoneSetChoose')}</option>
                {zoneSetOptions(values.zoneSet, zoneSets.data, lang).map((z) => (
                  <option key={z.key} value={z.key} data-unknown={z.unknown || undefined}>
                    {z.unknown ? t('indicatorZoneSetUnknown', { key: z.key }) : z.name ? `${z.name} (${z.key})` : z.key}
                  </option>
                ))}
              </select>
              <span className="form-hint">{t('indicatorZoneSetHint')}</span>
            </label>
          )}
          <FieldMessages messages={errors.byField.grouping} />
        </fieldset>

        <fieldset className="form-field form-group" aria-invalid={invalid('thresholds')}>
          <legend className="form-label">{t('indicatorThresholds')}</legend>
          {values.thresholds.length ? (
            <table className="threshold-table" data-testid="threshold-rows">
              <thead>
                <tr>
                  <th>{t('indicatorThresholdLevel')}</th>
                  <th>{t('indicatorThresholdOp')}</th>
                  <th>{t('indicatorThresholdValue')}</th>
                  <th title={t('indicatorThresholdClearHint')}>{t('indicatorThresholdClear')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {values.thresholds.map((row, i) => {
                  const rowField = `threshold${i}` as IndicatorField;
                  return (
                    <tr key={i} data-testid="threshold-row">
                      <td>
                        <select
                          name={`thresholds.${i}.level`}
                          className="select-input"
                          value={row.level}
                          onChange={(e) => setRow(i, { level: e.target.value as ThresholdRow['level'] })}
                        >
                          {SEVERITIES.map((s) => (
                            <option key={s} value={s}>
                              {severityLabel(t, s)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          name={`thresholds.${i}.op`}
                          className="select-input"
                          value={row.op}
                          onChange={(e) => setRow(i, { op: e.target.value as ThresholdRow['op'] })}
                        >
                          {THRESHOLD_OPERATORS.map((op) => (
                            <option key={op} value={op}>
                              {OP_SIGNS[op]}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          name={`thresholds.${i}.value`}
                          className="text-input text-input--narrow"
                          inputMode="decimal"
                          value={row.value}
                          aria-invalid={invalid(rowField)}
                          onChange={(e) => setRow(i, { value: e.target.value })}
                        />
                        <FieldMessages messages={errors.byField[rowField]} />
                      </td>
                      <td>
                        <input
                          name={`thresholds.${i}.clear`}
                          className="text-input text-input--narrow"
                          inputMode="decimal"
                          value={row.clear}
                          onChange={(e) => setRow(i, { clear: e.target.value })}
                        />
                      </td>
                      <td>
                        <RemoveRowButton
                          label={t('indicatorThresholdRemove')}
                          onRemove={() => set('thresholds', withoutIndex(values.thresholds, i))}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
          {values.thresholds.length < SEVERITIES.length ? (
            <button
              type="button"
              className="quiet-button"
              data-testid="threshold-add"
              onClick={() => {
                const row = nextThresholdRow(values.thresholds);
                if (row) set('thresholds', [...values.thresholds, row]);
              }}
            >
              {t('indicatorThresholdAdd')}
            </button>
          ) : null}
          <FieldMessages messages={errors.byField.thresholds} />
          {values.thresholds.length ? (
            <div className="indicator-form-grid">
              {field(
                'pendingSeconds',
                t('indicatorPending'),
                <input
                  name="pendingSeconds"
                  type="number"
                  className="text-input"
                  value={values.pendingSeconds}
                  aria-invalid={invalid('pendingSeconds')}
                  onChange={(e) => set('pendingSeconds', e.target.value)}
                />,
              )}
              {field(
                'keepFiringSeconds',
                t('indicatorKeepFiring'),
                <input
                  name="keepFiringSeconds"
                  type="number"
                  className="text-input"
                  value={values.keepFiringSeconds}
                  aria-invalid={invalid('keepFiringSeconds')}
                  onChange={(e) => set('keepFiringSeconds', e.target.value)}
                />,
              )}
              <div className="form-field">
                <span className="form-label">{t('indicatorNoData')}</span>
                <div className="inline-controls">
                  <select
                    name="noDataPolicy"
                    className="select-input"
                    value={values.noDataPolicy}
                    aria-label={t('indicatorNoData')}
                    onChange={(e) => set('noDataPolicy', e.target.value as IndicatorFormValues['noDataPolicy'])}
                  >
                    <option value="">{t('indicatorNoDataNone')}</option>
                    {NO_DATA_POLICIES.map((p) => (
                      <option key={p} value={p}>
                        {t(NO_DATA_LABELS[p])}
                      </option>
                    ))}
                  </select>
                  {values.noDataPolicy ? (
                    <input
                      name="noDataAfterSeconds"
                      type="number"
                      className="text-input text-input--narrow"
                      aria-label={t('indicatorNoDataAfter')}
                      placeholder={t('indicatorNoDataAfter')}
                      value={values.noDataAfterSeconds}
                      aria-invalid={invalid('noData')}
                      onChange={(e) => set('noDataAfterSeconds', e.target.value)}
                    />
                  ) : null}
                </div>
                <FieldMessages messages={errors.byField.noData} />
              </div>
            </div>
          ) : null}
        </fieldset>

        <div className="indicator-form-grid">
          {field(
            'evaluateEverySeconds',
            t('indicatorEvaluateEvery'),
            <input
              name="evaluateEverySeconds"
              type="number"
              className="text-input"
              value={values.evaluateEverySeconds}
              aria-invalid={invalid('evaluateEverySeconds')}
              onChange={(e) => set('evaluateEverySeconds', e.target.value)}
            />,
            t('indicatorEvaluateEveryHint'),
          )}
          <label className="role-choice">
            <input type="checkbox" name="enabled" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} />
            {t('indicatorEnabled')}
          </label>
        </div>
        <FormProblem errors={errors} />
        <div className="form-actions">
          <button
            type="submit"
            className="primary-button primary-button--small"
            disabled={busy !== null}
            data-testid="indicator-form-submit"
          >
            {busy === 'save' ? t('saving') : t(indicator ? 'indicatorSave' : 'indicatorCreate')}
          </button>
          <button
            type="button"
            className="quiet-button quiet-button--accent"
            disabled={busy !== null}
            onClick={() => void runPreview()}
            data-testid="indicator-preview-button"
          >
            {busy === 'preview' ? t('indicatorPreviewing') : t('indicatorPreviewButton')}
          </button>
          <button type="button" className="quiet-button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
      {preview ? (
        <aside className="admin-panel indicator-preview-side">
          <IndicatorPreviewPanel preview={preview.preview} definition={preview.definition} />
        </aside>
      ) : null}
    </div>
  );
}
