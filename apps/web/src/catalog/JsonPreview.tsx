import { useI18n } from '../i18n';

function compact(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function pretty(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Inline one-line JSON, cut by CSS, whole on hover. For small objects such as `props`. */
export function JsonInline({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="dim">—</span>;
  if (typeof value === 'object' && Object.keys(value).length === 0) return <span className="dim">—</span>;
  const text = compact(value);
  return (
    <code className="json-inline" title={text}>
      {text}
    </code>
  );
}

/** Collapsed JSON: one line as the summary, pretty-printed when opened. For raw records. */
export function JsonDetails({ value, label }: { value: unknown; label?: string }) {
  const { t } = useI18n();
  return (
    <details className="json-details">
      <summary>
        <span className="json-details-toggle">{label ?? t('showRaw')}</span>
        <code className="json-inline">{compact(value)}</code>
      </summary>
      <pre className="json-pretty">{pretty(value)}</pre>
    </details>
  );
}
