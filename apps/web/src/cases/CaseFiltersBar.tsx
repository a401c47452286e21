import { useMemo, useState, type FormEvent } from 'react';
import {
  CASE_PRIORITIES,
  CASE_SOURCES,
  CASE_STATES,
  type CaseCategoryView,
  type CasePriority,
  type CaseSource,
  type DepartmentView,
} from '@cityops/contracts';
import { useI18n } from '../i18n';
import { countFilters, NO_CASE_FILTERS, type CaseFilters } from './case-filters';
import { localized, PRIORITY_LABELS, SOURCE_LABELS, STATE_COLORS, STATE_LABELS } from './case-labels';

interface CaseFiltersBarProps {
  filters: CaseFilters;
  categories: readonly CaseCategoryView[];
  departments: readonly DepartmentView[];
  onChange: (filters: CaseFilters) => void;
}

/**
 * The filters above the list. A choice (state, select, checkbox) applies at once; the text fields
 * (search, area code) apply on Enter or the search button, so that the list is not asked again
 * for every key pressed. The page keys this by the URL's text filters, so that a change of them
 * from outside (back button, cleared filters) shows in the fields.
 */
export function CaseFiltersBar({ filters, categories, departments, onChange }: CaseFiltersBarProps) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState(filters.q);
  const [area, setArea] = useState(filters.area);

  const groups = useMemo(() => {
    const byGroup = new Map<string, { key: string; name: string; categories: CaseCategoryView[] }>();
    for (const c of categories) {
      let group = byGroup.get(c.group);
      if (!group) {
        group = { key: c.group, name: localized(c.groupName, c.groupNameEn, lang), categories: [] };
        byGroup.set(c.group, group);
      }
      group.categories.push(c);
    }
    return [...byGroup.values()];
  }, [categories, lang]);

  const set = (patch: Partial<CaseFilters>) => onChange({ ...filters, q: q.trim(), area: area.trim(), ...patch });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set({});
  };
  const toggleState = (state: (typeof CASE_STATES)[number]) =>
    set({ state: filters.state.includes(state) ? filters.state.filter((s) => s !== state) : [...filters.state, state] });
  const count = countFilters(filters);

  return (
    <form className="case-filters" onSubmit={submit} data-testid="case-filters" aria-label={t('caseFilters')}>
      <div className="case-filter-row">
        <label className="case-search">
          <span className="visually-hidden">{t('caseSearch')}</span>
          <input
            type="search"
            name="q"
            className="text-input"
            value={q}
            maxLength={100}
            placeholder={t('caseSearchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            data-testid="case-search"
          />
        </label>
        <label className="case-filter">
          <span className="case-filter-label">{t('caseFilterArea')}</span>
          <input
            name="area"
            className="text-input case-area-input"
            value={area}
            maxLength={100}
            placeholder={t('caseFilterAreaPlaceholder')}
            onChange={(e) => setArea(e.target.value)}
            data-testid="case-filter-area"
          />
        </label>
        <button type="submit" className="quiet-button quiet-button--accent" data-testid="case-filter-apply">
          {t('caseFilterApply')}
        </button>
        <label className="case-filter">
          <span className="case-filter-label">{t('caseFilterCategory')}</span>
          <select
            name="category"
            className="select-input"
            value={filters.category}
            onChange={(e) => set({ category: e.target.value })}
            data-testid="case-filter-category"
          >
            <option value="">{t('caseFilterAnyCategory')}</option>
            {groups.map((group) => (
              <optgroup key={group.key} label={group.name}>
                <option value={group.key}>{t('caseFilterGroup', { name: group.name })}</option>
                {group.categories.map((c) => (
                  <option key={c.key} value={c.key}>
                    {localized(c.name, c.nameEn, lang)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label className="case-filter">
          <span className="case-filter-label">{t('caseFilterDepartment')}</span>
          <select
            name="department"
            className="select-input"
            value={filters.department}
            onChange={(e) => set({ department: e.target.value })}
            data-testid="case-filter-department"
          >
            <option value="">{t('caseFilterAnyDepartment')}</option>
            {departments.map((d) => (
              <option key={d.code} value={d.code}>
                {localized(d.name, d.nameEn, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="case-filter">
          <span className="case-filter-label">{t('caseFilterSource')}</span>
          <select
            name="source"
            className="select-input"
            value={filters.source ?? ''}
            onChange={(e) => set({ source: (e.target.value || null) as CaseSource | null })}
            data-testid="case-filter-source"
          >
            <option value="">{t('caseFilterAnySource')}</option>
            {CASE_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(SOURCE_LABELS[s])}
              </option>
            ))}
          </select>
        </label>
        <label className="case-filter">
          <span className="case-filter-label">{t('caseFilterPriority')}</span>
          <select
            name="priority"
            className="select-input"
            value={filters.priority ?? ''}
            onChange={(e) => set({ priority: (e.target.value || null) as CasePriority | null })}
            data-testid="case-filter-priority"
          >
            <option value="">{t('caseFilterAnyPriority')}</option>
            {CASE_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(PRIORITY_LABELS[p])}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="case-filter-row">
        <div className="case-open-choice" role="radiogroup" aria-label={t('caseFilterOpen')} data-testid="case-filter-open">
          {(
            [
              [null, 'caseFilterOpenAll'],
              ['open', 'caseFilterOpenOnly'],
              ['closed', 'caseFilterClosedOnly'],
            ] as const
          ).map(([value, key]) => (
            <button
              key={key}
              type="button"
              role="radio"
              aria-checked={filters.open === value}
              className={`case-chip${filters.open === value ? ' case-chip--on' : ''}`}
              data-value={value ?? 'all'}
              onClick={() => set({ open: value })}
            >
              {t(key)}
            </button>
          ))}
        </div>
        <div className="case-state-choice" role="group" aria-label={t('caseFilterState')} data-testid="case-filter-state">
          {CASE_STATES.map((state) => {
            const on = filters.state.includes(state);
            return (
              <button
                key={state}
                type="button"
                aria-pressed={on}
                className={`case-chip${on ? ' case-chip--on' : ''}`}
                data-state={state}
                onClick={() => toggleState(state)}
              >
                <span className="state-dot" style={{ background: STATE_COLORS[state] }} aria-hidden="true" />
                {t(STATE_LABELS[state])}
              </button>
            );
          })}
        </div>
        <label className="case-overdue-choice">
          <input
            type="checkbox"
            name="overdue"
            checked={filters.overdue}
            onChange={(e) => set({ overdue: e.target.checked })}
            data-testid="case-filter-overdue"
          />
          {t('caseFilterOverdue')}
        </label>
        {count > 0 ? (
          <button type="button" className="quiet-button" onClick={() => onChange(NO_CASE_FILTERS)} data-testid="case-filter-clear">
            {t('caseFilterClear', { n: count })}
          </button>
        ) : null}
      </div>
    </form>
  );
}
