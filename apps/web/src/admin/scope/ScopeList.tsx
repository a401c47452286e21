import type { AreaLevel, ScopeView } from '@cityops/contracts';
import { useI18n, type MessageKey } from '../../i18n';
import { localName, scopeKey } from './area-tree';

const LEVEL_LABELS: Record<AreaLevel | 'zoneSet', MessageKey> = {
  city: 'levelCity',
  district: 'levelDistrict',
  street: 'levelStreet',
  community: 'levelCommunity',
  grid: 'levelGrid',
  zone: 'levelZone',
  zoneSet: 'levelZoneSet',
};

export function LevelTag({ level }: { level: AreaLevel | 'zoneSet' }) {
  const { t } = useI18n();
  return <span className={`level-tag level-tag--${level}`}>{t(LEVEL_LABELS[level])}</span>;
}

/** An area or zone set of a scope by name, with its level. */
export function ScopeName({ scope }: { scope: ScopeView }) {
  const { lang } = useI18n();
  const code = scope.kind === 'area' ? scope.code : scope.key;
  return (
    <span className="scope-name" title={code}>
      <span>{localName(scope, lang)}</span>
      <LevelTag level={scope.kind === 'area' ? scope.level : 'zoneSet'} />
    </span>
  );
}

/**
 * A user's or display's scope in a table cell: "whole city" when it is, else the names. `limit`
 * keeps a long scope to a few lines; the rest is counted.
 */
export function ScopeSummary({ scopes, cityWide, limit = 4 }: { scopes: readonly ScopeView[]; cityWide?: boolean; limit?: number }) {
  const { t } = useI18n();
  if (cityWide && !scopes.some((s) => s.kind === 'area' && s.level === 'city')) {
    return <span className="scope-summary">{t('scopeCityWide')}</span>;
  }
  if (scopes.length === 0) return <span className="dim">{t('scopeEmpty')}</span>;
  const shown = scopes.slice(0, limit);
  return (
    <ul className="scope-summary" data-testid="scope-summary">
      {shown.map((scope) => (
        <li key={scopeKey(scope)}>
          <ScopeName scope={scope} />
        </li>
      ))}
      {scopes.length > shown.length ? <li className="dim small">{t('scopeMore', { n: scopes.length - shown.length })}</li> : null}
    </ul>
  );
}
