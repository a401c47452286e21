import type { DepartmentView, Role } from '@cityops/contracts';
import { ROLES } from '../../auth/identity-rules';
import { useI18n } from '../../i18n';
import { departmentLabel, roleLabel } from '../common/labels';
import { AreaField } from '../scope/AreaField';

export interface UserFilterState {
  q: string;
  role: Role | '';
  department: string;
  area: string | null;
  state: '' | 'active' | 'disabled';
}

export const NO_USER_FILTER: UserFilterState = { q: '', role: '', department: '', area: null, state: '' };

export function UserFilters({
  filter,
  departments,
  onChange,
}: {
  filter: UserFilterState;
  departments: readonly DepartmentView[] | null;
  onChange: (patch: Partial<UserFilterState>) => void;
}) {
  const { t, lang } = useI18n();
  const filtered = filter.q !== '' || filter.role !== '' || filter.department !== '' || filter.area !== null || filter.state !== '';
  return (
    <div className="admin-filters" role="search" data-testid="user-filters">
      <label className="filter-field">
        <span className="filter-label-text">{t('filterSearch')}</span>
        <input
          type="search"
          className="text-input"
          name="q"
          value={filter.q}
          placeholder={t('userSearchPlaceholder')}
          onChange={(e) => onChange({ q: e.target.value })}
        />
      </label>
      <label className="filter-field">
        <span className="filter-label-text">{t('roles')}</span>
        <select className="select-input" name="role" value={filter.role} onChange={(e) => onChange({ role: e.target.value as Role | '' })}>
          <option value="">{t('filterAll')}</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {roleLabel(t, role)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter-field">
        <span className="filter-label-text">{t('department')}</span>
        <select
          className="select-input"
          name="department"
          value={filter.department}
          onChange={(e) => onChange({ department: e.target.value })}
        >
          <option value="">{t('filterAll')}</option>
          {(departments ?? []).map((d) => (
            <option key={d.code} value={d.code}>
              {departmentLabel(d.code, departments, lang)}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-field filter-field--area">
        <span className="filter-label-text">{t('filterArea')}</span>
        <AreaField code={filter.area} onChange={(area) => onChange({ area })} label={t('filterArea')} />
      </div>
      <label className="filter-field">
        <span className="filter-label-text">{t('userState')}</span>
        <select
          className="select-input"
          name="state"
          value={filter.state}
          onChange={(e) => onChange({ state: e.target.value as UserFilterState['state'] })}
        >
          <option value="">{t('filterAll')}</option>
          <option value="active">{t('userStateActive')}</option>
          <option value="disabled">{t('userStateDisabled')}</option>
        </select>
      </label>
      {filtered ? (
        <button type="button" className="quiet-button filter-clear" onClick={() => onChange(NO_USER_FILTER)}>
          {t('filterClear')}
        </button>
      ) : null}
    </div>
  );
}
