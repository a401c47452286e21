import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_PLAYLIST_KEY, type PlaylistView, type SceneView } from '@cityops/contracts';
import { fetchDisplays } from '../../api/admin-api';
import { putPlaylist } from '../../api/scenes-api';
import { useResource } from '../../catalog/useResource';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { RemoveRowButton, withoutIndex } from '../../forms/RemoveRowButton';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import {
  DWELL_RANGE,
  EMPTY_PLAYLIST_FORM,
  HOLD_RANGE,
  MAX_PLAYLIST_ENTRIES,
  NEW_ENTRY,
  onPlaylistFields,
  PLAYLIST_FIELDS,
  playlistDefinition,
  playlistFormValues,
  playlistProblems,
  type EntryRow,
  type PlaylistField,
  type PlaylistFormValues,
} from './playlist-form';
import { moved } from './scene-form';
import { problemsByField } from './scene-labels';

/**
 * Create or edit a wall rotation: scenes with dwell times in order, the display it is for (none:
 * the default rotation or a spare one), and how a critical alert interrupts it.
 */
export function PlaylistForm({
  playlist,
  scenes,
  takenKeys,
  onSaved,
  onCancel,
}: {
  playlist: PlaylistView | null;
  scenes: readonly SceneView[];
  takenKeys: readonly string[];
  onSaved: (saved: PlaylistView, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<PlaylistFormValues>(() => (playlist ? playlistFormValues(playlist) : EMPTY_PLAYLIST_FORM));
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors<PlaylistField>(PLAYLIST_FIELDS);
  const displays = useResource('displays', fetchDisplays);
  const titleId = useId();
  const creating = playlist === null;
  const isDefault = values.key.trim() === DEFAULT_PLAYLIST_KEY;

  const set = <K extends keyof PlaylistFormValues>(key: K, value: PlaylistFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setEntry = (index: number, patch: Partial<EntryRow>) =>
    setValues((v) => ({ ...v, entries: v.entries.map((row, i) => (i === index ? { ...row, ...patch } : row)) }));
  const invalid = (name: PlaylistField) => (errors.byField[name]?.length ? true : undefined);
  const sceneName = (s: SceneView) => (lang === 'en' && s.nameEn ? s.nameEn : s.name);
  const liveDisplays = (displays.data ?? []).filter((d) => d.revokedAt === null || d.id === values.displayId);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = creating ? values.key.trim() : (playlist?.key ?? '');
    const problems = playlistProblems(values, creating);
    if (creating && key && takenKeys.includes(key)) problems.push({ field: 'key', problem: 'taken' });
    if (problems.length) {
      refuse((tr) => problemsByField(problems, tr));
      return;
    }
    setBusy(true);
    clear();
    try {
      onSaved(await putPlaylist(key, playlistDefinition(values)), creating);
    } catch (failure) {
      fail(onPlaylistFields(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="admin-panel admin-form playlist-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="playlist-form"
    >
      <PanelHead
        titleId={titleId}
        title={playlist ? t('playlistEditTitle', { key: playlist.key }) : t('playlistCreateTitle')}
        onClose={onCancel}
      />
      <div className="scene-form-grid">
        <label className="form-field">
          <span className="form-label">{t('sceneKey')}</span>
          <input
            name="key"
            className="text-input"
            autoComplete="off"
            disabled={!creating}
            value={values.key}
            placeholder={DEFAULT_PLAYLIST_KEY}
            aria-invalid={invalid('key')}
            onChange={(e) => set('key', e.target.value)}
          />
          <span className="form-hint">{t('playlistKeyHint', { key: DEFAULT_PLAYLIST_KEY })}</span>
          <FieldMessages messages={errors.byField.key} />
        </label>
        <label className="form-field">
          <span className="form-label">{t('playlistName')}</span>
          <input
            name="name"
            className="text-input"
            autoComplete="off"
            value={values.name}
            aria-invalid={invalid('name')}
            onChange={(e) => set('name', e.target.value)}
          />
          <FieldMessages messages={errors.byField.name} />
        </label>
      </div>

      <fieldset className="form-field form-group" data-testid="playlist-entries">
        <legend className="form-label">{t('playlistEntries')}</legend>
        <table className="threshold-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('playlistScene')}</th>
              <th>{t('playlistDwell')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {values.entries.map((row, i) => (
              <tr key={i} data-testid="playlist-entry">
                <td className="num-text">{i + 1}</td>
                <td>
                  <select
                    name={`entries.${i}.scene`}
                    className="select-input"
                    value={row.scene}
                    aria-invalid={invalid(`entry${i}`)}
                    onChange={(e) => setEntry(i, { scene: e.target.value })}
                  >
                    <option value="">{t('sceneChoose')}</option>
                    {row.scene && !scenes.some((s) => s.key === row.scene) ? (
                      <option value={row.scene}>{t('playlistSceneGone', { key: row.scene })}</option>
                    ) : null}
                    {scenes.map((s) => (
                      <option key={s.key} value={s.key}>
                        {sceneName(s)} ({s.key}){s.enabled ? '' : ` · ${t('sceneDisabled')}`}
                      </option>
                    ))}
                  </select>
                  <FieldMessages messages={errors.byField[`entry${i}`]} />
                </td>
                <td>
                  <input
                    name={`entries.${i}.dwellSeconds`}
                    type="number"
                    min={DWELL_RANGE.min}
                    max={DWELL_RANGE.max}
                    className="text-input text-input--narrow"
                    aria-label={t('playlistDwell')}
                    value={row.dwellSeconds}
                    onChange={(e) => setEntry(i, { dwellSeconds: e.target.value })}
                  />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="quiet-button"
                    disabled={i === 0}
                    onClick={() => set('entries', moved(values.entries, i, -1))}
                  >
                    {t('sceneMoveUp')}
                  </button>
                  <button
                    type="button"
                    className="quiet-button"
                    disabled={i === values.entries.length - 1}
                    onClick={() => set('entries', moved(values.entries, i, 1))}
                  >
                    {t('sceneMoveDown')}
                  </button>
                  <RemoveRowButton label={t('sceneRemove')} onRemove={() => set('entries', withoutIndex(values.entries, i))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {values.entries.length < MAX_PLAYLIST_ENTRIES ? (
          <button
            type="button"
            className="quiet-button"
            data-testid="playlist-entry-add"
            onClick={() => set('entries', [...values.entries, NEW_ENTRY])}
          >
            {t('playlistAddEntry')}
          </button>
        ) : null}
        <span className="form-hint">{t('playlistEntriesHint', DWELL_RANGE)}</span>
        <FieldMessages messages={errors.byField.entries} />
      </fieldset>

      <div className="scene-form-grid">
        <label className="form-field">
          <span className="form-label">{t('playlistDisplay')}</span>
          <select
            name="displayId"
            className="select-input"
            value={values.displayId}
            disabled={isDefault && !values.displayId}
            aria-invalid={invalid('displayId')}
            onChange={(e) => set('displayId', e.target.value)}
          >
            <option value="">{t('playlistNoDisplay')}</option>
            {values.displayId && !liveDisplays.some((d) => d.id === values.displayId) ? (
              <option value={values.displayId}>{values.displayId}</option>
            ) : null}
            {liveDisplays.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <span className="form-hint">{t(isDefault ? 'playlistDisplayDefaultHint' : 'playlistDisplayHint')}</span>
          <FieldMessages messages={errors.byField.displayId} />
        </label>
        <label className="role-choice">
          <input
            type="checkbox"
            name="interruptOnCritical"
            checked={values.interruptOnCritical}
            onChange={(e) => set('interruptOnCritical', e.target.checked)}
          />
          {t('playlistInterrupt')}
        </label>
        <label className="form-field">
          <span className="form-label">{t('playlistHold')}</span>
          <input
            name="holdSeconds"
            type="number"
            min={HOLD_RANGE.min}
            max={HOLD_RANGE.max}
            className="text-input text-input--narrow"
            value={values.holdSeconds}
            disabled={!values.interruptOnCritical}
            aria-invalid={invalid('holdSeconds')}
            onChange={(e) => set('holdSeconds', e.target.value)}
          />
          <span className="form-hint">{t('playlistHoldHint')}</span>
          <FieldMessages messages={errors.byField.holdSeconds} />
        </label>
      </div>

      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="playlist-form-submit">
          {busy ? t('saving') : t(creating ? 'playlistCreate' : 'playlistSave')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
