import { useEffect, useId, useMemo, useState } from 'react';
import type { ScopeView } from '@cityops/contracts';
import { useI18n } from '../../i18n';
import { ProblemMessage } from '../../ProblemMessage';
import {
  addAreaScope,
  ancestorsOf,
  childrenOf,
  coveringScope,
  localName,
  removeScope,
  scopeKey,
  searchAreas,
  toggleZoneSet,
  type AreaNode,
} from './area-tree';
import { childrenKnown, useAreaDirectory, type AreaDirectory } from './AreaDirectory';
import { LevelTag, ScopeName } from './ScopeList';

const SEARCH_LIMIT = 60;

export interface ScopePickerProps {
  value: readonly ScopeView[];
  onChange: (next: ScopeView[]) => void;
  /** Id of the element that labels the picker (the form field's label). */
  labelledBy?: string;
  invalid?: boolean;
}

/**
 * Chooses a scope: areas of the hierarchy (city, district, street, community, grid), each with
 * everything inside it, picked from a tree or found by name or code, and whole zone sets.
 */
export function ScopePicker({ value, onChange, labelledBy, invalid }: ScopePickerProps) {
  const { t } = useI18n();
  const directory = useAreaDirectory();
  const [query, setQuery] = useState('');
  const searching = query.trim().length > 0;
  const { loadAllGrids } = directory;
  useEffect(() => {
    // Grids are found by search too: load them all the first time someone searches.
    if (query.trim().length >= 2) loadAllGrids();
  }, [query, loadAllGrids]);

  const toggleArea = (area: AreaNode) => {
    const chosen = value.find((s) => s.kind === 'area' && s.id === area.id);
    onChange(chosen ? removeScope(value, chosen) : addAreaScope(directory.index, value, area));
  };

  return (
    <div
      className={`scope-picker${invalid ? ' scope-picker--invalid' : ''}`}
      role="group"
      aria-labelledby={labelledBy}
      data-testid="scope-picker"
    >
      <ChosenScopes value={value} onRemove={(scope) => onChange(removeScope(value, scope))} />
      <input
        type="search"
        className="text-input scope-search"
        value={query}
        placeholder={t('scopeSearchPlaceholder')}
        aria-label={t('scopeSearchPlaceholder')}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="scope-search"
      />
      {directory.error ? (
        <div className="section-problem">
          <ProblemMessage error={directory.error} />
          <button type="button" className="quiet-button" onClick={directory.retry}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      <div className="scope-browser">
        {!directory.ready ? (
          <p className="dim small">{t('loading')}</p>
        ) : searching ? (
          <SearchResults directory={directory} query={query} value={value} onToggle={toggleArea} />
        ) : (
          <AreaTree directory={directory} value={value} onToggle={toggleArea} />
        )}
      </div>
      <ZoneSetChoices directory={directory} value={value} onChange={onChange} />
    </div>
  );
}

function ChosenScopes({ value, onRemove }: { value: readonly ScopeView[]; onRemove: (scope: ScopeView) => void }) {
  const { t, lang } = useI18n();
  if (value.length === 0) return <p className="scope-none dim small">{t('scopeNoneChosen')}</p>;
  return (
    <ul className="scope-chips" aria-label={t('scopeChosen')} data-testid="scope-chosen">
      {value.map((scope) => (
        <li key={scopeKey(scope)} className="scope-chip" data-key={scopeKey(scope)}>
          <ScopeName scope={scope} />
          <button
            type="button"
            className="chip-remove"
            aria-label={t('scopeRemove', { name: localName(scope, lang) })}
            title={t('scopeRemove', { name: localName(scope, lang) })}
            onClick={() => onRemove(scope)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

interface ChoiceProps {
  directory: AreaDirectory;
  value: readonly ScopeView[];
  onToggle: (area: AreaNode) => void;
}

/** The hierarchy from the city down, one level opened at a time. */
function AreaTree({ directory, value, onToggle }: ChoiceProps) {
  const { t } = useI18n();
  // The city is open from the start: its districts are what is chosen most.
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(directory.index.roots.map((r) => r.id)));
  const toggleOpen = (area: AreaNode) => {
    const next = new Set(open);
    if (next.has(area.id)) next.delete(area.id);
    else {
      next.add(area.id);
      directory.openCommunity(area);
    }
    setOpen(next);
  };
  if (directory.index.roots.length === 0) return <p className="empty">{t('scopeNoAreas')}</p>;
  return (
    <ul className="area-tree" role="tree" aria-label={t('scopeTree')}>
      {directory.index.roots.map((area) => (
        <TreeNode key={area.id} area={area} open={open} onOpen={toggleOpen} directory={directory} value={value} onToggle={onToggle} />
      ))}
    </ul>
  );
}

interface TreeNodeProps extends ChoiceProps {
  area: AreaNode;
  open: ReadonlySet<number>;
  onOpen: (area: AreaNode) => void;
}

function TreeNode({ area, open, onOpen, directory, value, onToggle }: TreeNodeProps) {
  const { t } = useI18n();
  const isOpen = open.has(area.id);
  const leaf = area.level === 'grid';
  const known = childrenKnown(directory, area);
  const children = isOpen && known ? childrenOf(directory.index, area.id) : [];
  return (
    <li role="treeitem" aria-expanded={leaf ? undefined : isOpen} aria-selected={false} className="area-node">
      <div className="area-row">
        {leaf ? (
          <span className="tree-toggle tree-toggle--leaf" aria-hidden="true" />
        ) : (
          <button
            type="button"
            className="tree-toggle"
            aria-label={isOpen ? t('scopeCollapse') : t('scopeExpand')}
            onClick={() => onOpen(area)}
            data-testid="scope-expand"
            data-code={area.code}
          >
            {isOpen ? '▾' : '▸'}
          </button>
        )}
        <AreaChoice area={area} directory={directory} value={value} onToggle={onToggle} />
      </div>
      {isOpen && !leaf ? (
        known ? (
          children.length ? (
            <ul role="group" className="area-tree">
              {children.map((child) => (
                <TreeNode key={child.id} area={child} open={open} onOpen={onOpen} directory={directory} value={value} onToggle={onToggle} />
              ))}
            </ul>
          ) : (
            <p className="dim small tree-note">{t('scopeNoChildren')}</p>
          )
        ) : (
          <p className="dim small tree-note">{t('loading')}</p>
        )
      ) : null}
    </li>
  );
}

/** One area's checkbox: ticked when chosen, ticked and locked when an area above it is chosen. */
function AreaChoice({ area, directory, value, onToggle, path }: ChoiceProps & { area: AreaNode; path?: string }) {
  const { t, lang } = useI18n();
  const covering = coveringScope(directory.index, area.id, value);
  const coveredByOther = covering !== null && covering.id !== area.id;
  const name = localName(area, lang);
  return (
    <label
      className={`area-choice${coveredByOther ? ' area-choice--covered' : ''}`}
      title={coveredByOther ? t('scopeCoveredBy', { name: localName(covering, lang) }) : undefined}
      data-testid="scope-area"
      data-code={area.code}
    >
      <input type="checkbox" checked={covering !== null} disabled={coveredByOther} onChange={() => onToggle(area)} />
      <span className="area-choice-text">
        <span className="area-choice-line">
          <span className="area-name">{name}</span>
          <code className="area-code">{area.code}</code>
          <LevelTag level={area.level} />
        </span>
        {path ? <span className="area-path">{path}</span> : null}
      </span>
    </label>
  );
}

function SearchResults({ directory, query, value, onToggle }: ChoiceProps & { query: string }) {
  const { t, lang } = useI18n();
  const { matches, total } = useMemo(() => searchAreas(directory.index, query, SEARCH_LIMIT), [directory.index, query]);
  return (
    <div className="scope-results" data-testid="scope-results">
      {matches.length === 0 ? (
        <p className="empty">{directory.allGrids === 'loading' ? t('loading') : t('scopeNoMatch')}</p>
      ) : (
        <ul className="area-tree">
          {matches.map((area) => (
            <li key={area.id} className="area-node">
              <div className="area-row">
                <AreaChoice
                  area={area}
                  directory={directory}
                  value={value}
                  onToggle={onToggle}
                  path={ancestorsOf(directory.index, area.id)
                    .map((a) => localName(a, lang))
                    .join(' › ')}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      {total > matches.length ? <p className="dim small">{t('scopeMoreMatches', { n: total - matches.length })}</p> : null}
      {directory.allGrids === 'loading' && matches.length > 0 ? <p className="dim small">{t('scopeLoadingGrids')}</p> : null}
    </div>
  );
}

function ZoneSetChoices({
  directory,
  value,
  onChange,
}: {
  directory: AreaDirectory;
  value: readonly ScopeView[];
  onChange: (next: ScopeView[]) => void;
}) {
  const { t, lang } = useI18n();
  const headingId = useId();
  if (!directory.zoneSets || directory.zoneSets.length === 0) return null;
  return (
    <div className="zone-set-choices" role="group" aria-labelledby={headingId}>
      <span id={headingId} className="choice-heading">
        {t('scopeZoneSets')}
      </span>
      {directory.zoneSets.map((zoneSet) => (
        <label key={zoneSet.key} className="area-choice" data-testid="scope-zone-set" data-key={zoneSet.key}>
          <input
            type="checkbox"
            checked={value.some((s) => s.kind === 'zoneSet' && s.key === zoneSet.key)}
            onChange={() => onChange(toggleZoneSet(value, zoneSet))}
          />
          <span className="area-choice-line">
            <span className="area-name">{localName(zoneSet, lang)}</span>
            <code className="area-code">{zoneSet.key}</code>
            <LevelTag level="zoneSet" />
          </span>
        </label>
      ))}
    </div>
  );
}
