import { useI18n } from '../i18n';

/** A side panel's heading with its close button (the × that Escape also does, where the form handles it). */
export function PanelHead({ titleId, title, onClose }: { titleId: string; title: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="panel-head">
      <h2 id={titleId} className="panel-title">
        {title}
      </h2>
      <button type="button" className="close-button" aria-label={t('close')} title={t('close')} onClick={onClose}>
        ×
      </button>
    </div>
  );
}
