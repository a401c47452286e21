import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n';
import { ancestorsOf, localName, searchAreas } from './area-tree';
import { useAreaDirectory } from './AreaDirectory';
import { LevelTag } from './ScopeList';

const SUGGESTIONS = 12;

/**
 * One area, found by name or code (a filter: "people whose scope holds this area"). Shows the
 * chosen area by name, with a button to clear it.
 */
export function AreaField({ code, onChange, label }: { code: string | null; onChange: (code: string | null) => void; label: string }) {
  const { t, lang } = useI18n();
  const directory = useAreaDirectory();
  const [query, setQuery] = useState('');
  const { loadAllGrids } = directory;
  useEffect(() => {
    if (query.trim().length >= 2) loadAllGrids();
  }, [query, loadAllGrids]);
  const { matches } = useMemo(() => searchAreas(directory.index, query, SUGGESTIONS), [directory.index, query]);

  if (code) {
    const area = directory.index.byCode.get(code);
    return (
      <span className="area-field area-field--chosen" data-testid="area-filter" data-code={code}>
        <span className="chip">
          {area ? localName(area, lang) : code}
          {area ? <LevelTag level={area.level} /> : null}
          <button
            type="button"
            className="chip-remove"
            aria-label={t('filterClearArea')}
            title={t('filterClearArea')}
            onClick={() => onChange(null)}
          >
            ×
          </button>
        </span>
      </span>
    );
  }
  return (
    <div className="area-field" data-testid="area-filter">
      <input
        type="search"
        className="text-input"
        value={query}
        placeholder={t('areaFilterPlaceholder')}
        aria-label={label}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches[0]) {
            e.preventDefault();
            onChange(matches[0].code);
            setQuery('');
          }
          if (e.key === 'Escape') setQuery('');
        }}
      />
      {query.trim() ? (
        <ul className="area-suggestions" role="listbox" aria-label={label}>
          {matches.length === 0 ? (
            <li className="dim small area-suggestion-empty">{directory.ready ? t('scopeNoMatch') : t('loading')}</li>
          ) : (
            matches.map((area) => (
              <li key={area.id} role="option" aria-selected={false}>
                <button
                  type="button"
                  className="area-suggestion"
                  onClick={() => {
                    onChange(area.code);
                    setQuery('');
                  }}
                  data-code={area.code}
                >
                  <span className="area-name">{localName(area, lang)}</span>
                  <LevelTag level={area.level} />
                  <span className="area-path">
                    {ancestorsOf(directory.index, area.id)
                      .map((a) => localName(a, lang))
                      .join(' › ')}
                  </span>
                </button>
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
