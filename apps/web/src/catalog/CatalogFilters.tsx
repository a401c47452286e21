import type { DepartmentView } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { departmentName, themeLabel } from './labels';
import type { CatalogSelection } from './selection';
import type { Resource } from './useResource';

export interface ThemeCount {
  theme: string;
  count: number;
}

export interface CatalogFiltersProps {
  departments: Resource<DepartmentView[]>;
  /** Every feed in the catalog, null while loading. */
  totalFeeds: number | null;
  /** Themes of the feeds in the chosen department, with counts. */
  themes: ThemeCount[];
  selection: CatalogSelection;
  onChange: (patch: Partial<CatalogSelection>) => void;
}

/** Left column: departments (with their feed counts) and themes, each a single-choice filter. */
export function CatalogFilters({ departments, totalFeeds, themes, selection, onChange }: CatalogFiltersProps) {
  const { t, lang } = useI18n();
  const filtered = selection.department !== null || selection.theme !== null || selection.query.trim() !== '';
  return (
    <nav className="catalog-filters" aria-label={t('filterDepartments')}>
      <section className="filter-group">
        <h2 className="filter-title">{t('filterDepartments')}</h2>
        <ul className="filter-list">
          <li>
            <FilterButton
              label={t('filterAll')}
              count={totalFeeds}
              active={selection.department === null}
              onClick={() => onChange({ department: null })}
            />
          </li>
          {sortedDepartments(departments.data).map((d) => (
            <li key={d.code}>
              <FilterButton
                label={departmentName(d, lang)}
                count={d.feeds}
                active={selection.department === d.code}
                onClick={() => onChange({ department: selection.department === d.code ? null : d.code })}
                testId="catalog-department"
                code={d.code}
              />
            </li>
          ))}
        </ul>
        {departments.loading && !departments.data ? <p className="dim small">{t('loading')}</p> : null}
        {departments.error ? (
          <div className="section-problem">
            <ProblemMessage error={departments.error} />
            <button type="button" className="quiet-button" onClick={departments.reload}>
              {t('retry')}
            </button>
          </div>
        ) : null}
      </section>

      <section className="filter-group">
        <h2 className="filter-title">{t('filterThemes')}</h2>
        <ul className="filter-list">
          <li>
            <FilterButton label={t('filterAll')} count={null} active={selection.theme === null} onClick={() => onChange({ theme: null })} />
          </li>
          {themes.map(({ theme, count }) => (
            <li key={theme}>
              <FilterButton
                label={themeLabel(t, theme)}
                count={count}
                active={selection.theme === theme}
                onClick={() => onChange({ theme: selection.theme === theme ? null : theme })}
                testId="catalog-theme"
                code={theme}
              />
            </li>
          ))}
        </ul>
      </section>

      {filtered ? (
        <button type="button" className="quiet-button" onClick={() => onChange({ department: null, theme: null, query: '' })}>
          {t('filterClear')}
        </button>
      ) : null}
    </nav>
  );
}

/** Departments that have feeds first (by count), then the others, each group in the server's order. */
function sortedDepartments(departments: DepartmentView[] | null): DepartmentView[] {
  const list = departments ?? [];
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => Math.sign(b.d.feeds) - Math.sign(a.d.feeds) || b.d.feeds - a.d.feeds || a.i - b.i)
    .map(({ d }) => d);
}

interface FilterButtonProps {
  label: string;
  count: number | null;
  active: boolean;
  onClick: () => void;
  testId?: string;
  code?: string;
}

function FilterButton({ label, count, active, onClick, testId, code }: FilterButtonProps) {
  return (
    <button
      type="button"
      className={`filter-button${active ? ' filter-button--active' : ''}${count === 0 ? ' filter-button--empty' : ''}`}
      aria-pressed={active}
      onClick={onClick}
      data-testid={testId}
      data-code={code}
    >
      <span className="filter-label" title={label}>
        {label}
      </span>
      {count !== null ? <span className="filter-count">{count}</span> : null}
    </button>
  );
}
