import type { DepartmentView, UserView } from '@cityops/contracts';
import { RelativeTime } from '../../catalog/RelativeTime';
import { useI18n } from '../../i18n';
import { useNow } from '../../useNow';
import { ConfirmButton } from '../common/ConfirmButton';
import { departmentLabel, roleLabel } from '../common/labels';
import { ScopeSummary } from '../scope/ScopeList';

export interface UserTableProps {
  users: readonly UserView[];
  departments: readonly DepartmentView[] | null;
  selectedId: string | null;
  busyId: string | null;
  onEdit: (user: UserView) => void;
  onResetPassword: (user: UserView) => void;
  onSetDisabled: (user: UserView, disabled: boolean) => void;
}

export function UserTable({ users, departments, selectedId, busyId, onEdit, onResetPassword, onSetDisabled }: UserTableProps) {
  const { t, lang } = useI18n();
  const now = useNow(10_000);
  return (
    <div className="table-scroll">
      <table className="data-table admin-table user-table" data-testid="user-table">
        <thead>
          <tr>
            <th>{t('colUser')}</th>
            <th>{t('roles')}</th>
            <th>{t('scope')}</th>
            <th>{t('department')}</th>
            <th>{t('colLastSignIn')}</th>
            <th>{t('colStatus')}</th>
            <th className="actions-col">{t('colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr
              key={user.id}
              className={`${user.id === selectedId ? 'selected' : ''}${user.disabled ? ' row--disabled' : ''}`}
              data-testid="user-row"
              data-username={user.username}
              data-disabled={user.disabled}
              data-must-change={user.mustChangePassword}
            >
              <td>
                <strong className="cell-main">{user.displayName}</strong>
                <code className="cell-sub">{user.username}</code>
              </td>
              <td>
                <ul className="chips">
                  {user.roles.map((role) => (
                    <li key={role} className={`chip role-chip role-chip--${role}`}>
                      {roleLabel(t, role)}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="scope-cell">
                <ScopeSummary scopes={user.scopes} cityWide={user.cityWide} />
              </td>
              <td>{departmentLabel(user.department, departments, lang) ?? <span className="dim">—</span>}</td>
              <td className="nowrap">
                <RelativeTime value={user.lastSignInAt} now={now} empty={t('neverSignedIn')} />
              </td>
              <td>
                <ul className="chips">
                  {user.disabled ? <li className="chip status-chip status-chip--off">{t('userStateDisabled')}</li> : null}
                  {user.mustChangePassword ? (
                    <li className="chip status-chip status-chip--warn" title={t('mustChangePasswordHint')}>
                      {t('mustChangePassword')}
                    </li>
                  ) : null}
                  {!user.disabled && !user.mustChangePassword ? (
                    <li className="chip status-chip status-chip--ok">{t('userStateActive')}</li>
                  ) : null}
                </ul>
              </td>
              <td className="row-actions">
                <button type="button" className="quiet-button" onClick={() => onEdit(user)} data-testid="user-edit">
                  {t('edit')}
                </button>
                <button type="button" className="quiet-button" onClick={() => onResetPassword(user)} data-testid="user-reset-password">
                  {t('resetPassword')}
                </button>
                {user.disabled ? (
                  <button
                    type="button"
                    className="quiet-button"
                    disabled={busyId === user.id}
                    onClick={() => onSetDisabled(user, false)}
                    data-testid="user-enable"
                  >
                    {t('enable')}
                  </button>
                ) : (
                  <ConfirmButton
                    label={t('disable')}
                    question={t('disableQuestion')}
                    confirmLabel={t('disableConfirm')}
                    onConfirm={() => onSetDisabled(user, true)}
                    busy={busyId === user.id}
                    danger
                    testId="user-disable"
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
