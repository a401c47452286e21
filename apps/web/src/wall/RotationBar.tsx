import type { SceneView } from '@cityops/contracts';
import { useI18n } from '../i18n';
import type { RotationView } from './rotation';

/** The rotation's small line: which stop of how many, what comes next, how far through; or the alert that holds the wall. */
export function RotationBar({ view, scenes, stops }: { view: RotationView; scenes: readonly SceneView[]; stops: number }) {
  const { t, lang } = useI18n();
  const nameOf = (key: string | null) => {
    const scene = scenes.find((s) => s.key === key);
    return scene ? (lang === 'en' && scene.nameEn ? scene.nameEn : scene.name) : '';
  };
  const alert = view.mode === 'alert';
  const next = nameOf(view.nextSceneKey);
  return (
    <div
      className={alert ? 'rotation-bar rotation-bar--alert' : 'rotation-bar'}
      data-testid="rotation-bar"
      data-mode={view.mode}
      data-scene={view.sceneKey ?? ''}
      data-next={view.nextSceneKey ?? ''}
    >
      <span className="rotation-bar-step">{alert ? t('rotationAlert') : t('rotationStop', { n: view.index + 1, total: stops })}</span>
      {next ? (
        <span className="rotation-bar-next" title={next}>
          {alert ? t('rotationResume', { name: next }) : t('rotationNext', { name: next })}
        </span>
      ) : null}
      <span className="rotation-bar-track" aria-hidden>
        <span className="rotation-bar-fill" style={{ width: `${Math.round(view.progress * 100)}%` }} />
      </span>
    </div>
  );
}
