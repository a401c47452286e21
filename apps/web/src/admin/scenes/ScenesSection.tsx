import { useState } from 'react';
import { DEFAULT_PLAYLIST_KEY, type PlaylistView, type SceneView } from '@cityops/contracts';
import { fetchDisplays } from '../../api/admin-api';
import { deletePlaylist, deleteScene, fetchPlaylists, fetchScenes } from '../../api/scenes-api';
import { LoadState } from '../../catalog/DetailSection';
import { useResource } from '../../catalog/useResource';
import { FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n, type Lang } from '../../i18n';
import { ConfirmButton } from '../common/ConfirmButton';
import type { Notice } from '../common/notice';
import { AdminNotice, SectionHead } from '../common/SectionHead';
import { playlistsNaming } from './playlist-form';
import { PlaylistForm } from './PlaylistForm';
import { wallPreviewHref } from './scene-form';
import { SCENE_KIND_LABELS } from './scene-labels';
import { SceneForm } from './SceneForm';

type Panel =
  | { kind: 'create-scene' }
  | { kind: 'edit-scene'; scene: SceneView }
  | { kind: 'create-playlist' }
  | { kind: 'edit-playlist'; playlist: PlaylistView };

const sceneName = (s: Pick<SceneView, 'name' | 'nameEn'>, lang: Lang) => (lang === 'en' && s.nameEn ? s.nameEn : s.name);

/** 大屏场景: the wall's scenes and their rotations, created, edited and deleted by admins. */
export function ScenesSection() {
  const { t, lang } = useI18n();
  const scenes = useResource('scenes', fetchScenes);
  const playlists = useResource('playlists', fetchPlaylists);
  // Displays are named only when a playlist belongs to one.
  const displays = useResource(playlists.data?.some((p) => p.displayId !== null) ? 'displays' : null, fetchDisplays);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const reloadAll = () => {
    scenes.reload();
    playlists.reload();
  };

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const removeScene = async (scene: SceneView) => {
    const naming = playlistsNaming(scene.key, playlists.data).map((p) => p.name);
    setBusyKey(`scene:${scene.key}`);
    clearAction();
    setNotice(null);
    try {
      const gone = await deleteScene(scene.key);
      setNotice(
        naming.length
          ? { key: 'sceneDeletedInPlaylists', params: { name: gone.name, playlists: naming.join('、') } }
          : { key: 'sceneDeletedNotice', params: { name: gone.name } },
      );
      reloadAll();
    } catch (failure) {
      failAction(failure);
    } finally {
      setBusyKey(null);
    }
  };

  const removePlaylist = async (playlist: PlaylistView) => {
    setBusyKey(`playlist:${playlist.key}`);
    clearAction();
    setNotice(null);
    try {
      const gone = await deletePlaylist(playlist.key);
      setNotice({ key: 'playlistDeletedNotice', params: { name: gone.name } });
      playlists.reload();
    } catch (failure) {
      failAction(failure);
    } finally {
      setBusyKey(null);
    }
  };

  if (panel?.kind === 'create-scene' || panel?.kind === 'edit-scene') {
    const scene = panel.kind === 'edit-scene' ? panel.scene : null;
    return (
      <div data-testid="admin-scenes">
        <SceneForm
          key={scene?.key ?? 'new'}
          scene={scene}
          takenKeys={(scenes.data ?? []).map((s) => s.key)}
          onSaved={(saved, created) => {
            reloadAll();
            open(null);
            setNotice({ key: created ? 'sceneCreatedNotice' : 'sceneSavedNotice', params: { name: saved.name } });
          }}
          onCancel={() => open(null)}
        />
      </div>
    );
  }
  if (panel?.kind === 'create-playlist' || panel?.kind === 'edit-playlist') {
    const playlist = panel.kind === 'edit-playlist' ? panel.playlist : null;
    return (
      <div data-testid="admin-scenes">
        <PlaylistForm
          key={playlist?.key ?? 'new'}
          playlist={playlist}
          scenes={scenes.data ?? []}
          takenKeys={(playlists.data ?? []).map((p) => p.key)}
          onSaved={(saved, created) => {
            playlists.reload();
            open(null);
            setNotice({ key: created ? 'playlistCreatedNotice' : 'playlistSavedNotice', params: { name: saved.name } });
          }}
          onCancel={() => open(null)}
        />
      </div>
    );
  }

  const sceneOf = (key: string) => scenes.data?.find((s) => s.key === key);

  return (
    <div data-testid="admin-scenes">
      <section className="admin-panel admin-list" aria-labelledby="admin-scenes-title">
        <SectionHead
          titleId="admin-scenes-title"
          title={t('adminScenes')}
          subtitle={scenes.data ? t('scenesCount', { n: scenes.data.length }) : null}
          actions={{
            reload: reloadAll,
            loading: scenes.loading,
            refreshTestId: 'scenes-refresh',
            createLabel: t('sceneCreateButton'),
            onCreate: () => open({ kind: 'create-scene' }),
            createTestId: 'scene-create',
          }}
        />
        <p className="section-intro">{t('scenesIntro')}</p>
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        <LoadState loading={scenes.loading} error={scenes.error} empty={scenes.data?.length === 0} onRetry={scenes.reload} />
        {scenes.data?.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="scene-table">
              <thead>
                <tr>
                  <th className="num">{t('scenePosition')}</th>
                  <th>{t('sceneColName')}</th>
                  <th>{t('sceneKind')}</th>
                  <th className="num">{t('sceneColLayers')}</th>
                  <th className="num">{t('sceneColKpis')}</th>
                  <th className="num">{t('sceneColCameras')}</th>
                  <th>{t('colStatus')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {scenes.data.map((scene) => {
                  const naming = playlistsNaming(scene.key, playlists.data);
                  return (
                    <tr
                      key={scene.key}
                      className={scene.enabled ? undefined : 'row--disabled'}
                      data-testid="scene-row"
                      data-key={scene.key}
                      data-enabled={scene.enabled}
                    >
                      <td className="num">{scene.position}</td>
                      <td>
                        <strong className="cell-main">{sceneName(scene, lang)}</strong>
                        <span className="cell-sub">{lang === 'en' ? scene.name : (scene.nameEn ?? '')}</span>
                        <code className="cell-sub">{scene.key}</code>
                      </td>
                      <td>
                        <span className="chip">{t(SCENE_KIND_LABELS[scene.kind])}</span>
                      </td>
                      <td className="num" data-testid="scene-layer-count">
                        {scene.layers.length}
                      </td>
                      <td className="num" data-testid="scene-kpi-count">
                        {scene.kpis.length}
                      </td>
                      <td className="num" data-testid="scene-camera-count">
                        {scene.cameras ? scene.cameras.count : 0}
                      </td>
                      <td>
                        <span className={`chip status-chip ${scene.enabled ? 'status-chip--ok' : 'status-chip--off'}`}>
                          {t(scene.enabled ? 'sceneEnabledOn' : 'sceneEnabledOff')}
                        </span>
                      </td>
                      <td className="row-actions">
                        <a
                          className="quiet-button"
                          href={wallPreviewHref(scene.key)}
                          target="_blank"
                          rel="noopener noreferrer"
                          data-testid="scene-preview"
                        >
                          {t('scenePreviewOnWall')}
                        </a>
                        <button
                          type="button"
                          className="quiet-button"
                          onClick={() => open({ kind: 'edit-scene', scene })}
                          data-testid="scene-edit"
                        >
                          {t('sceneEdit')}
                        </button>
                        <ConfirmButton
                          label={t('sceneDelete')}
                          question={
                            naming.length
                              ? t('sceneDeleteQuestionInPlaylists', { playlists: naming.map((p) => p.name).join('、') })
                              : t('sceneDeleteQuestion')
                          }
                          confirmLabel={t('deleteConfirm')}
                          onConfirm={() => void removeScene(scene)}
                          busy={busyKey === `scene:${scene.key}`}
                          danger
                          testId="scene-delete"
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section className="admin-panel admin-list" aria-labelledby="admin-playlists-title" data-testid="playlists">
        <div className="section-head">
          <h2 id="admin-playlists-title" className="section-title">
            {t('playlistsTitle')}
          </h2>
          {playlists.data ? <span className="section-subtitle">{t('scenesCount', { n: playlists.data.length })}</span> : null}
          <div className="section-actions">
            <button
              type="button"
              className="quiet-button quiet-button--accent"
              onClick={() => open({ kind: 'create-playlist' })}
              data-testid="playlist-create"
            >
              {t('playlistCreateButton')}
            </button>
          </div>
        </div>
        <p className="section-intro">{t('playlistsIntro')}</p>
        <LoadState loading={playlists.loading} error={playlists.error} empty={playlists.data?.length === 0} onRetry={playlists.reload} />
        {playlists.data?.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="playlist-table">
              <thead>
                <tr>
                  <th>{t('playlistName')}</th>
                  <th>{t('playlistEntries')}</th>
                  <th>{t('playlistDisplay')}</th>
                  <th>{t('playlistInterruptCol')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {playlists.data.map((playlist) => (
                  <tr key={playlist.key} data-testid="playlist-row" data-key={playlist.key}>
                    <td>
                      <strong className="cell-main">{playlist.name}</strong>
                      <code className="cell-sub">{playlist.key}</code>
                    </td>
                    <td>
                      <ol className="playlist-stops">
                        {playlist.entries.map((entry, i) => {
                          const scene = sceneOf(entry.scene);
                          return (
                            <li
                              key={`${entry.scene}:${i}`}
                              data-testid="playlist-stop"
                              data-scene={entry.scene}
                              className={scene?.enabled ? undefined : 'playlist-stop--skipped'}
                            >
                              {scene ? sceneName(scene, lang) : entry.scene}
                              <span className="cell-sub">{t('playlistDwellShort', { s: entry.dwellSeconds })}</span>
                              {!scene ? <span className="chip status-chip status-chip--warn">{t('playlistStopGone')}</span> : null}
                              {scene && !scene.enabled ? (
                                <span className="chip status-chip status-chip--off">{t('playlistStopDisabled')}</span>
                              ) : null}
                            </li>
                          );
                        })}
                      </ol>
                    </td>
                    <td data-testid="playlist-display">
                      {playlist.displayId
                        ? (displays.data?.find((d) => d.id === playlist.displayId)?.name ?? playlist.displayId)
                        : t(playlist.key === DEFAULT_PLAYLIST_KEY ? 'playlistEveryWall' : 'playlistNoDisplay')}
                    </td>
                    <td>
                      {playlist.interruptOnCritical
                        ? playlist.holdSeconds === null
                          ? t('playlistInterruptUntilHandled')
                          : t('playlistInterruptHold', { s: playlist.holdSeconds })
                        : t('playlistInterruptOff')}
                    </td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="quiet-button"
                        onClick={() => open({ kind: 'edit-playlist', playlist })}
                        data-testid="playlist-edit"
                      >
                        {t('sceneEdit')}
                      </button>
                      <ConfirmButton
                        label={t('sceneDelete')}
                        question={t(playlist.key === DEFAULT_PLAYLIST_KEY ? 'playlistDeleteDefaultQuestion' : 'playlistDeleteQuestion')}
                        confirmLabel={t('deleteConfirm')}
                        onConfirm={() => void removePlaylist(playlist)}
                        busy={busyKey === `playlist:${playlist.key}`}
                        danger
                        testId="playlist-delete"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
