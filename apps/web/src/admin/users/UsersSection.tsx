import { useCallback, useState } from 'react';
import type { DepartmentView, UserView } from '@cityops/contracts';
import { fetchUsers, updateUser, type UserFilter } from '../../api/admin-api';
import { fetchDepartments } from '../../api/catalog-api';
import { LoadState } from '../../catalog/DetailSection';
import { useResource } from '../../catalog/useResource';
import { FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import type { Notice } from '../common/notice';
import { SecretReveal } from '../common/SecretReveal';
import { AdminNotice, SectionHead } from '../common/SectionHead';
import { useDebounced } from '../common/useDebounced';
import { ResetPasswordForm } from './ResetPasswordForm';
import { NO_USER_FILTER, UserFilters, type UserFilterState } from './UserFilters';
import { UserForm } from './UserForm';
import { UserTable } from './UserTable';

type Panel =
  | { kind: 'create' }
  | { kind: 'edit'; user: UserView }
  | { kind: 'password'; user: UserView }
  | { kind: 'first-password'; user: UserView; password: string; reset: boolean };

function apiFilter(filter: UserFilterState): UserFilter {
  return {
    q: filter.q.trim() || undefined,
    role: filter.role || undefined,
    department: filter.department || undefined,
    area: filter.area ?? undefined,
    disabled: filter.state === '' ? undefined : filter.state === 'disabled',
  };
}

/** 用户: people who sign in, filtered; create, edit, disable or enable, reset a password. */
export function UsersSection() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<UserFilterState>(NO_USER_FILTER);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);

  const query = useDebounced(apiFilter(filter), 250);
  const queryKey = JSON.stringify(query);
  const users = useResource(`users:${queryKey}`, (signal) => fetchUsers(query, signal));
  const departments = useResource<DepartmentView[]>('departments', fetchDepartments);
  const { reload } = users;

  const onSaved = useCallback(
    (user: UserView, firstPassword: string | null) => {
      reload();
      if (firstPassword) setPanel({ kind: 'first-password', user, password: firstPassword, reset: false });
      else {
        setPanel(null);
        setNotice({ key: 'userSaved', params: { name: user.displayName } });
      }
    },
    [reload],
  );

  const setDisabled = async (user: UserView, disabled: boolean) => {
    setBusyId(user.id);
    clearAction();
    setNotice(null);
    try {
      const saved = await updateUser(user.id, { disabled });
      setNotice({ key: disabled ? 'userDisabledNotice' : 'userEnabledNotice', params: { name: saved.displayName } });
      reload();
    } catch (failure) {
      failAction(failure, (tr) => ({ generalByType: { 'urn:cityops:problem:self_lockout': tr('selfLockout') } }));
    } finally {
      setBusyId(null);
    }
  };

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const rows = users.data;
  const count = rows?.length ?? null;

  return (
    <div className={`admin-split${panel ? ' admin-split--open' : ''}`} data-testid="admin-users">
      <section className="admin-panel admin-list" aria-labelledby="admin-users-title">
        <SectionHead
          titleId="admin-users-title"
          title={t('adminUsers')}
          subtitle={count !== null ? t('usersCount', { n: count }) : null}
          actions={{
            reload: users.reload,
            loading: users.loading,
            refreshTestId: 'users-refresh',
            createLabel: t('userCreateButton'),
            onCreate: () => open({ kind: 'create' }),
            createTestId: 'user-create',
          }}
        />
        <UserFilters filter={filter} departments={departments.data} onChange={(patch) => setFilter((f) => ({ ...f, ...patch }))} />
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        <LoadState loading={users.loading} error={users.error} empty={!rows?.length} onRetry={users.reload} />
        {rows?.length ? (
          <UserTable
            users={rows}
            departments={departments.data}
            selectedId={panel && panel.kind !== 'create' ? panel.user.id : null}
            busyId={busyId}
            onEdit={(user) => open({ kind: 'edit', user })}
            onResetPassword={(user) => open({ kind: 'password', user })}
            onSetDisabled={(user, disabled) => void setDisabled(user, disabled)}
          />
        ) : null}
      </section>
      {panel ? (
        <aside className="admin-panel admin-side" data-testid="admin-side-panel">
          {panel.kind === 'create' || panel.kind === 'edit' ? (
            <UserForm
              key={panel.kind === 'edit' ? panel.user.id : 'new'}
              user={panel.kind === 'edit' ? panel.user : null}
              departments={departments.data}
              onSaved={onSaved}
              onCancel={() => open(null)}
            />
          ) : panel.kind === 'password' ? (
            <ResetPasswordForm
              user={panel.user}
              onDone={(user, password) => {
                reload();
                setPanel({ kind: 'first-password', user, password, reset: true });
              }}
              onCancel={() => open(null)}
            />
          ) : (
            <SecretReveal
              title={t(panel.reset ? 'passwordResetDone' : 'userCreated', { name: panel.user.displayName, username: panel.user.username })}
              values={[{ label: t('temporaryPassword'), value: panel.password, testId: 'revealed-password' }]}
              note={t('temporaryPasswordHandOver')}
              onDone={() => open(null)}
            />
          )}
        </aside>
      ) : null}
    </div>
  );
}
