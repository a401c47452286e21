import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { SCENE_KINDS, type FeedDefinition, type IndicatorDefinitionView, type LayerView, type SceneView } from '@cityops/contracts';
import { fetchLayers } from '../../api/analyst-map-api';
import { fetchFeeds } from '../../api/catalog-api';
import { fetchIndicators } from '../../api/indicators-api';
import { putScene } from '../../api/scenes-api';
import { useResource } from '../../catalog/useResource';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { RemoveRowButton, withoutIndex } from '../../forms/RemoveRowButton';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n, type Lang } from '../../i18n';
import { AreaIdField } from './AreaIdField';
import {
  EMPTY_KPI_ROW,
  EMPTY_SCENE_FORM,
  MAX_SCENE_KPIS,
  MAX_SCENE_LAYERS,
  moved,
  onSceneFields,
  SCENE_FIELDS,
  sceneDefinition,
  sceneFormValues,
  sceneProblems,
  type EventField,
  type KpiRow,
  type SceneField,
  type SceneFormValues,
} from './scene-form';
import { problemsByField, SCENE_KIND_HINTS, SCENE_KIND_LABELS } from './scene-labels';

const localName = (item: { name: string; nameEn: string | null }, lang: Lang) => (lang === 'en' && item.nameEn ? item.nameEn : item.name);

/** A choice of a select: the listed ones, and the current value first when the list lacks it (so an edit never drops it). */
function withCurrent<T extends { key: string }>(current: string, listed: readonly T[]): (T | { key: string; unknown: true })[] {
  return current && !listed.some((o) => o.key === current) ? [{ key: current, unknown: true as const }, ...listed] : [...listed];
}

/**
 * Create or edit a wall scene of any kind. Names, the event's words and simple ranges are checked
 * here; whether what it names exists (indicator, zone set, feed, areas, layer keys) is the
 * server's answer, placed on the field it is about.
 */
export function SceneForm({
  scene,
  takenKeys,
  onSaved,
  onCancel,
}: {
  scene: SceneView | null;
  /** Keys of the scenes there are: PUT replaces, so a new scene must not take one. */
  takenKeys: readonly string[];
  onSaved: (saved: SceneView, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<SceneFormValues>(() => (scene ? sceneFormValues(scene) : EMPTY_SCENE_FORM));
  const [busy, setBusy] = useState(false);
  const [layerToAdd, setLayerToAdd] = useState('');
  const [otherLayer, setOtherLayer] = useState('');
  const { errors, formRef, refuse, fail, clear } = useFormErrors<SceneField>(SCENE_FIELDS);
  const layers = useResource('layers', fetchLayers);
  const indicators = useResource('indicators', fetchIndicators);
  const feeds = useResource('feeds', (signal) => fetchFeeds({}, signal));
  const titleId = useId();
  const creating = scene === null;

  const set = <K extends keyof SceneFormValues>(key: K, value: SceneFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setKpi = (index: number, patch: Partial<KpiRow>) =>
    setValues((v) => ({ ...v, kpis: v.kpis.map((row, i) => (i === index ? { ...row, ...patch } : row)) }));
  const invalid = (name: SceneField) => (errors.byField[name]?.length ? true : undefined);

  const catalog: LayerView[] = layers.data ?? [];
  const zoneSets = catalog.flatMap((l) => (l.kind === 'geojson' ? [{ key: l.zoneSet, name: l.name, nameEn: l.nameEn }] : []));
  const allIndicators: IndicatorDefinitionView[] = indicators.data ?? [];
  // An event's indicator colours its zones: only those computed over the chosen zone set fit.
  const eventIndicators = allIndicators.filter((i) => 'zoneSet' in i.grouping && i.grouping.zoneSet === values.zoneSet);
  const allFeeds: FeedDefinition[] = feeds.data ?? [];
  const cameraFeeds = allFeeds.filter((f) => f.kind === 'entity' && f.entityProfile === 'camera');
  const layerName = (key: string) => {
    const layer = catalog.find((l) => l.key === key);
    return layer ? localName(layer, lang) : null;
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = sceneProblems(values, creating);
    const key = creating ? values.key.trim() : (scene?.key ?? '');
    if (creating && key && takenKeys.includes(key)) problems.push({ field: 'key', problem: 'taken' });
    if (problems.length) {
      refuse((tr) => problemsByField(problems, tr));
      return;
    }
    setBusy(true);
    clear();
    try {
      onSaved(await putScene(key, sceneDefinition(values)), creating);
    } catch (failure) {
      fail(onSceneFields(failure));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: SceneField, label: string, control: ReactNode, hint?: string) => (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {control}
      {hint ? <span className="form-hint">{hint}</span> : null}
      <FieldMessages messages={errors.byField[name]} />
    </label>
  );
  const textInput = (name: 'key' | 'name' | 'nameEn' | EventField, extra: { placeholder?: string; disabled?: boolean } = {}) => (
    <input
      name={name}
      className="text-input"
      autoComplete="off"
      value={values[name]}
      aria-invalid={invalid(name)}
      onChange={(e) => set(name, e.target.value)}
      {...extra}
    />
  );
  const addLayer = (key: string) => {
    const trimmed = key.trim();
    if (!trimmed || values.layers.includes(trimmed) || values.layers.length >= MAX_SCENE_LAYERS) return;
    set('layers', [...values.layers, trimmed]);
  };

  return (
    <form
      ref={formRef}
      className="admin-panel admin-form scene-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="scene-form"
      data-kind={values.kind}
    >
      <PanelHead titleId={titleId} title={scene ? t('sceneEditTitle', { key: scene.key }) : t('sceneCreateTitle')} onClose={onCancel} />

      <div className="scene-form-grid">
        {field('key', t('sceneKey'), textInput('key', { disabled: !creating, placeholder: 'flood-watch' }), t('sceneKeyHint'))}
        {field(
          'kind',
          t('sceneKind'),
          <select
            name="kind"
            className="select-input"
            value={values.kind}
            aria-invalid={invalid('kind')}
            onChange={(e) => set('kind', e.target.value as SceneFormValues['kind'])}
          >
            {SCENE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(SCENE_KIND_LABELS[kind])}
              </option>
            ))}
          </select>,
          t(SCENE_KIND_HINTS[values.kind]),
        )}
        {field('name', t('sceneName'), textInput('name', { placeholder: '防汛 · 积水与降雨' }))}
        {field('nameEn', t('sceneNameEn'), textInput('nameEn', { placeholder: 'Flood prevention' }))}
      </div>

      {values.kind === 'event' ? (
        <fieldset className="form-field form-group" data-testid="scene-event-fields">
          <legend className="form-label">{t('sceneEventGroup')}</legend>
          <div className="scene-form-grid">
            {field(
              'zoneSet',
              t('sceneZoneSet'),
              <select
                name="zoneSet"
                className="select-input"
                value={values.zoneSet}
                aria-invalid={invalid('zoneSet')}
                onChange={(e) => setValues((v) => ({ ...v, zoneSet: e.target.value, indicatorKey: '' }))}
              >
                <option value="">{t('sceneChoose')}</option>
                {withCurrent(values.zoneSet, zoneSets).map((z) => (
                  <option key={z.key} value={z.key}>
                    {'unknown' in z ? t('sceneUnknownChoice', { key: z.key }) : `${localName(z, lang)} (${z.key})`}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'indicatorKey',
              t('sceneIndicator'),
              <select
                name="indicatorKey"
                className="select-input"
                value={values.indicatorKey}
                aria-invalid={invalid('indicatorKey')}
                onChange={(e) => set('indicatorKey', e.target.value)}
              >
                <option value="">{t('sceneChoose')}</option>
                {withCurrent(values.indicatorKey, eventIndicators).map((i) => (
                  <option key={i.key} value={i.key}>
                    {'unknown' in i ? t('sceneUnknownChoice', { key: i.key }) : `${localName(i, lang)} (${i.key})`}
                  </option>
                ))}
              </select>,
              t('sceneIndicatorHint'),
            )}
            {field(
              'feedKey',
              t('sceneFeed'),
              <select
                name="feedKey"
                className="select-input"
                value={values.feedKey}
                aria-invalid={invalid('feedKey')}
                onChange={(e) => set('feedKey', e.target.value)}
              >
                <option value="">{t('sceneNone')}</option>
                {withCurrent(values.feedKey, allFeeds).map((f) => (
                  <option key={f.key} value={f.key}>
                    {'unknown' in f ? t('sceneUnknownChoice', { key: f.key }) : `${localName(f, lang)} (${f.key})`}
                  </option>
                ))}
              </select>,
              t('sceneFeedHint'),
            )}
          </div>
          <div className="scene-form-grid scene-form-grid--words">
            {field('totalLabel', t('sceneTotalLabel'), textInput('totalLabel', { placeholder: '在场人数' }))}
            {field('totalLabelEn', t('sceneTotalLabelEn'), textInput('totalLabelEn', { placeholder: 'Visitors' }))}
            {field('totalUnit', t('sceneTotalUnit'), textInput('totalUnit', { placeholder: '人' }))}
            {field('totalUnitEn', t('sceneTotalUnitEn'), textInput('totalUnitEn'))}
            {field('zoneLabel', t('sceneZoneLabel'), textInput('zoneLabel', { placeholder: '赛段' }))}
            {field('zoneLabelEn', t('sceneZoneLabelEn'), textInput('zoneLabelEn', { placeholder: 'segments' }))}
            {field('zoneUnit', t('sceneZoneUnit'), textInput('zoneUnit', { placeholder: '段' }))}
            {field('zoneUnitEn', t('sceneZoneUnitEn'), textInput('zoneUnitEn'))}
          </div>
        </fieldset>
      ) : null}

      {values.kind === 'district' ? (
        <div
          className={`form-field scene-focus${invalid('focusAreaId') ? ' scope-picker--invalid' : ''}`}
          data-field="focusAreaId"
          data-testid="scene-focus-area"
        >
          <span className="form-label">{t('sceneFocusArea')}</span>
          <AreaIdField areaId={values.focusAreaId} onChange={(id) => set('focusAreaId', id)} label={t('sceneFocusArea')} />
          <span className="form-hint">{t('sceneFocusAreaHint')}</span>
          <FieldMessages messages={errors.byField.focusAreaId} />
        </div>
      ) : null}

      <fieldset className="form-field form-group" data-testid="scene-layers">
        <legend className="form-label">{t('sceneLayers')}</legend>
        <span className="form-hint">{t('sceneLayersHint')}</span>
        {values.layers.length ? (
          <ol className="scene-rows">
            {values.layers.map((key, i) => (
              <li key={key} className="scene-row" data-testid="scene-layer" data-key={key}>
                <span className="scene-row-main">
                  {layerName(key) ?? <span className="cell-sub">{t('sceneLayerNotListed')}</span>}
                  <code className="cell-sub">{key}</code>
                </span>
                <span className="row-actions">
                  <button
                    type="button"
                    className="quiet-button"
                    disabled={i === 0}
                    onClick={() => set('layers', moved(values.layers, i, -1))}
                  >
                    {t('sceneMoveUp')}
                  </button>
                  <button
                    type="button"
                    className="quiet-button"
                    disabled={i === values.layers.length - 1}
                    onClick={() => set('layers', moved(values.layers, i, 1))}
                  >
                    {t('sceneMoveDown')}
                  </button>
                  <RemoveRowButton label={t('sceneRemove')} onRemove={() => set('layers', withoutIndex(values.layers, i))} />
                </span>
                <FieldMessages messages={errors.byField[`layer${i}`]} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="dim small">{t('sceneNoLayers')}</p>
        )}
        {values.layers.length < MAX_SCENE_LAYERS ? (
          <div className="inline-controls scene-add-layer">
            <select
              name="layerToAdd"
              className="select-input"
              aria-label={t('sceneAddLayer')}
              value={layerToAdd}
              onChange={(e) => setLayerToAdd(e.target.value)}
            >
              <option value="">{t('sceneAddLayerChoose')}</option>
              {catalog
                .filter((l) => !values.layers.includes(l.key))
                .map((l) => (
                  <option key={l.key} value={l.key}>
                    {localName(l, lang)} ({l.key})
                  </option>
                ))}
            </select>
            <button
              type="button"
              className="quiet-button"
              disabled={!layerToAdd}
              data-testid="scene-add-layer"
              onClick={() => {
                addLayer(layerToAdd);
                setLayerToAdd('');
              }}
            >
              {t('sceneAdd')}
            </button>
            <input
              name="otherLayer"
              className="text-input"
              autoComplete="off"
              aria-label={t('sceneOtherLayer')}
              placeholder={t('sceneOtherLayer')}
              value={otherLayer}
              onChange={(e) => setOtherLayer(e.target.value)}
            />
            <button
              type="button"
              className="quiet-button"
              disabled={!otherLayer.trim()}
              data-testid="scene-add-other-layer"
              onClick={() => {
                addLayer(otherLayer);
                setOtherLayer('');
              }}
            >
              {t('sceneAdd')}
            </button>
          </div>
        ) : null}
        <FieldMessages messages={errors.byField.layers} />
      </fieldset>

      <fieldset className="form-field form-group" data-testid="scene-kpis">
        <legend className="form-label">{t('sceneKpis')}</legend>
        {values.kpis.length ? (
          <table className="threshold-table scene-kpi-table">
            <thead>
              <tr>
                <th>{t('sceneKpiIndicator')}</th>
                <th>{t('sceneKpiArea')}</th>
                <th>{t('sceneKpiLabel')}</th>
                <th>{t('sceneKpiLabelEn')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {values.kpis.map((row, i) => (
                <tr key={i} data-testid="scene-kpi-row">
                  <td>
                    <select
                      name={`kpis.${i}.indicatorKey`}
                      className="select-input"
                      value={row.indicatorKey}
                      aria-invalid={invalid(`kpi${i}`)}
                      onChange={(e) => setKpi(i, { indicatorKey: e.target.value })}
                    >
                      <option value="">{t('sceneChoose')}</option>
                      {withCurrent(row.indicatorKey, allIndicators).map((ind) => (
                        <option key={ind.key} value={ind.key}>
                          {'unknown' in ind ? t('sceneUnknownChoice', { key: ind.key }) : `${localName(ind, lang)} (${ind.key})`}
                        </option>
                      ))}
                    </select>
                    <FieldMessages messages={errors.byField[`kpi${i}`]} />
                  </td>
                  <td className="scene-kpi-area">
                    <AreaIdField areaId={row.areaId} onChange={(id) => setKpi(i, { areaId: id })} label={t('sceneKpiArea')} />
                  </td>
                  <td>
                    <input
                      name={`kpis.${i}.label`}
                      className="text-input"
                      autoComplete="off"
                      value={row.label}
                      onChange={(e) => setKpi(i, { label: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      name={`kpis.${i}.labelEn`}
                      className="text-input"
                      autoComplete="off"
                      value={row.labelEn}
                      onChange={(e) => setKpi(i, { labelEn: e.target.value })}
                    />
                  </td>
                  <td>
                    <RemoveRowButton label={t('sceneRemove')} onRemove={() => set('kpis', withoutIndex(values.kpis, i))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <span className="form-hint">{t('sceneKpisHint', { n: MAX_SCENE_KPIS })}</span>
        {values.kpis.length < MAX_SCENE_KPIS ? (
          <button
            type="button"
            className="quiet-button"
            data-testid="scene-kpi-add"
            onClick={() => set('kpis', [...values.kpis, EMPTY_KPI_ROW])}
          >
            {t('sceneKpiAdd')}
          </button>
        ) : null}
        <FieldMessages messages={errors.byField.kpis} />
      </fieldset>

      <fieldset className="form-field form-group" data-testid="scene-cameras">
        <legend className="form-label">{t('sceneCameras')}</legend>
        <label className="role-choice">
          <input type="checkbox" name="camerasOn" checked={values.camerasOn} onChange={(e) => set('camerasOn', e.target.checked)} />
          {t('sceneCamerasOn')}
        </label>
        {values.camerasOn ? (
          <div className="scene-form-grid">
            {field(
              'camerasFeedKey',
              t('sceneCamerasFeed'),
              <select
                name="camerasFeedKey"
                className="select-input"
                value={values.camerasFeedKey}
                aria-invalid={invalid('camerasFeedKey')}
                onChange={(e) => set('camerasFeedKey', e.target.value)}
              >
                <option value="">{t('sceneChoose')}</option>
                {withCurrent(values.camerasFeedKey, cameraFeeds).map((f) => (
                  <option key={f.key} value={f.key}>
                    {'unknown' in f ? t('sceneUnknownChoice', { key: f.key }) : `${localName(f, lang)} (${f.key})`}
                  </option>
                ))}
              </select>,
            )}
            <div className="form-field" data-field="camerasAreaId">
              <span className="form-label">{t('sceneCamerasArea')}</span>
              <AreaIdField areaId={values.camerasAreaId} onChange={(id) => set('camerasAreaId', id)} label={t('sceneCamerasArea')} />
              <FieldMessages messages={errors.byField.camerasAreaId} />
            </div>
            {field(
              'camerasCount',
              t('sceneCamerasCount'),
              <input
                name="camerasCount"
                type="number"
                min={1}
                max={12}
                className="text-input text-input--narrow"
                value={values.camerasCount}
                aria-invalid={invalid('camerasCount')}
                onChange={(e) => set('camerasCount', e.target.value)}
              />,
            )}
          </div>
        ) : null}
        <FieldMessages messages={errors.byField.cameras} />
      </fieldset>

      <fieldset className="form-field form-group" data-testid="scene-cases">
        <legend className="form-label">{t('sceneCases')}</legend>
        <label className="role-choice">
          <input type="checkbox" name="casesOn" checked={values.casesOn} onChange={(e) => set('casesOn', e.target.checked)} />
          {t('sceneCasesOn')}
        </label>
        {values.casesOn ? (
          <div className="form-field" data-field="casesAreaId">
            <span className="form-label">{t('sceneCasesArea')}</span>
            <AreaIdField areaId={values.casesAreaId} onChange={(id) => set('casesAreaId', id)} label={t('sceneCasesArea')} />
            <FieldMessages messages={errors.byField.casesAreaId} />
          </div>
        ) : null}
        <FieldMessages messages={errors.byField.cases} />
      </fieldset>

      <div className="scene-form-grid">
        <div className="form-field scene-bounds" data-field="bounds">
          <span className="form-label">{t('sceneBounds')}</span>
          <div className="inline-controls">
            {(['sceneWest', 'sceneSouth', 'sceneEast', 'sceneNorth'] as const).map((label, i) => (
              <input
                key={label}
                name={`bounds.${i}`}
                className="text-input text-input--narrow"
                inputMode="decimal"
                aria-label={t(label)}
                placeholder={t(label)}
                value={values.bounds[i]}
                aria-invalid={invalid('bounds')}
                onChange={(e) => set('bounds', values.bounds.map((b, j) => (j === i ? e.target.value : b)) as SceneFormValues['bounds'])}
              />
            ))}
          </div>
          <span className="form-hint">{t('sceneBoundsHint')}</span>
          <FieldMessages messages={errors.byField.bounds} />
        </div>
        {field(
          'position',
          t('scenePosition'),
          <input
            name="position"
            type="number"
            min={0}
            className="text-input text-input--narrow"
            value={values.position}
            aria-invalid={invalid('position')}
            onChange={(e) => set('position', e.target.value)}
          />,
          t('scenePositionHint'),
        )}
        <label className="role-choice">
          <input type="checkbox" name="enabled" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          {t('sceneEnabled')}
        </label>
      </div>

      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="scene-form-submit">
          {busy ? t('saving') : t(creating ? 'sceneCreate' : 'sceneSave')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
