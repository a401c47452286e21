import type { SceneView } from '@cityops/contracts';
import { useI18n } from '../i18n';
import type { SceneChoice } from './scene';

export interface SceneNoticeProps {
  /** Why there is no scene: none configured, or `?scene=` named one that is not there. */
  choice: Exclude<SceneChoice, { kind: 'scene' }>;
  /** The enabled scenes, offered when the address named another. */
  scenes: readonly SceneView[];
}

/**
 * Where a scene's figures would be: a plain sentence saying there is no scene, and what to do.
 * No placeholder figures: a wall that shows numbers is believed.
 */
export function SceneNotice({ choice, scenes }: SceneNoticeProps) {
  const { t, lang } = useI18n();
  const names = scenes.map((s) => `${lang === 'en' && s.nameEn ? s.nameEn : s.name} (${s.key})`);
  return (
    <section className="scene-notice" role="status" data-testid="scene-notice" data-kind={choice.kind}>
      <h2 className="scene-notice-title">
        {choice.kind === 'unknown' ? t('sceneUnknownTitle', { key: choice.key }) : t('sceneNoneTitle')}
      </h2>
      <p className="scene-notice-body">
        {choice.kind === 'unknown'
          ? t('sceneUnknownBody', { list: names.length ? names.join(t('listSeparator')) : t('sceneListEmpty') })
          : t('sceneNoneBody')}
      </p>
    </section>
  );
}
