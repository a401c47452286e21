import { useId, useState, type FormEvent } from 'react';
import type { DepartmentView, UserView } from '@cityops/contracts';
import { createUser, updateUser } from '../../api/admin-api';
import { ROLES } from '../../auth/identity-rules';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { departmentLabel, roleHint, roleLabel } from '../common/labels';
import { ScopePicker } from '../scope/ScopePicker';
import {
  checkUserForm,
  EMPTY_USER_FORM,
  generatePassword,
  newUserRequest,
  toggleRole,
  USER_FIELDS,
  userChange,
  userFormOf,
  type UserField,
  type UserFormState,
} from './user-form';

export interface UserFormProps {
  /** The user to edit; none to create one. */
  user: UserView | null;
  departments: readonly DepartmentView[] | null;
  /** After a save: the user as the server now has it, and the first password when one was set. */
  onSaved: (user: UserView, firstPassword: string | null) => void;
  onCancel: () => void;
}

/**
 * Creates a person (user name, display name, a temporary password, roles, scope, department) or
 * edits one (all but the user name and password). What the server refuses is shown under the
 * field it names.
 */
export function UserForm({ user, departments, onSaved, onCancel }: UserFormProps) {
  const { t, lang } = useI18n();
  const mode = user ? 'edit' : 'create';
  const [form, setForm] = useState<UserFormState>(() => (user ? userFormOf(user) : EMPTY_USER_FORM));
  const { errors, formRef, refuse, fail, clear } = useFormErrors(USER_FIELDS);
  const [busy, setBusy] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const ids = { roles: useId(), scopes: useId(), titleId: useId() };
  const update = (patch: Partial<UserFormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setUnchanged(false);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(checkUserForm(form, mode, t)).length) {
      refuse((tr) => checkUserForm(form, mode, tr));
      return;
    }
    clear();
    let request: Promise<UserView>;
    if (user) {
      const change = userChange(user, form);
      if (!change) {
        setUnchanged(true);
        return;
      }
      request = updateUser(user.id, change);
    } else {
      request = createUser(newUserRequest(form));
    }
    setBusy(true);
    try {
      const saved = await request;
      onSaved(saved, user ? null : form.password);
    } catch (failure) {
      fail(failure, (tr) => ({
        byType: { 'urn:cityops:problem:username_taken': { field: 'username', message: tr('usernameTaken') } },
        generalByType: { 'urn:cityops:problem:self_lockout': tr('selfLockout') },
      }));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: UserField) => errors.byField[field];
  const invalid = (field: UserField) => (fieldError(field)?.length ? true : undefined);
  const sortedDepartments = [...(departments ?? [])].sort((a, b) =>
    (departmentLabel(a.code, departments, lang) ?? '').localeCompare(
      departmentLabel(b.code, departments, lang) ?? '',
      lang === 'zh' ? 'zh-CN' : 'en',
    ),
  );

  return (
    <form
      ref={formRef}
      className="admin-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={ids.titleId}
      data-testid="user-form"
      data-mode={mode}
    >
      <PanelHead
        titleId={ids.titleId}
        title={user ? t('userEditTitle', { name: user.displayName }) : t('userCreateTitle')}
        onClose={onCancel}
      />

      {user ? (
        <div className="form-field">
          <span className="form-label">{t('username')}</span>
          <code className="readonly-value">{user.username}</code>
        </div>
      ) : (
        <label className="form-field">
          <span className="form-label">{t('username')}</span>
          <input
            name="username"
            className="text-input"
            autoComplete="off"
            spellCheck={false}
            value={form.username}
            aria-invalid={invalid('username')}
            onChange={(e) => update({ username: e.target.value })}
          />
          <span className="form-hint">{t('usernameHint')}</span>
          <FieldMessages messages={fieldError('username')} />
        </label>
      )}

      <label className="form-field">
        <span className="form-label">{t('displayName')}</span>
        <input
          name="displayName"
          className="text-input"
          autoComplete="off"
          value={form.displayName}
          aria-invalid={invalid('displayName')}
          onChange={(e) => update({ displayName: e.target.value })}
        />
        <FieldMessages messages={fieldError('displayName')} />
      </label>

      {user ? null : (
        <div className="form-field">
          <label className="form-label" htmlFor={`${ids.titleId}-password`}>
            {t('temporaryPassword')}
          </label>
          <span className="copy-row">
            <input
              id={`${ids.titleId}-password`}
              name="password"
              className="text-input"
              autoComplete="new-password"
              spellCheck={false}
              value={form.password}
              aria-invalid={invalid('password')}
              onChange={(e) => update({ password: e.target.value })}
            />
            <button
              type="button"
              className="quiet-button"
              onClick={() => update({ password: generatePassword() })}
              data-testid="generate-password"
            >
              {t('generatePassword')}
            </button>
          </span>
          <span className="form-hint">{t('temporaryPasswordHint')}</span>
          <FieldMessages messages={fieldError('password')} />
        </div>
      )}

      <fieldset className="form-field" aria-invalid={invalid('roles')} data-testid="role-choices">
        <legend className="form-label" id={ids.roles}>
          {t('roles')}
        </legend>
        <div className="role-choices">
          {ROLES.map((role) => (
            <label key={role} className="role-choice" data-role={role}>
              <input
                type="checkbox"
                name="roles"
                value={role}
                checked={form.roles.includes(role)}
                onChange={() => update({ roles: toggleRole(form.roles, role) })}
              />
              <span className="role-choice-text">
                <span className="role-choice-name">{roleLabel(t, role)}</span>
                <span className="role-choice-hint">{roleHint(t, role)}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldMessages messages={fieldError('roles')} />
      </fieldset>

      <div className="form-field">
        <span className="form-label" id={ids.scopes}>
          {t('scope')}
        </span>
        <span className="form-hint">{t('scopeHint')}</span>
        {form.roles.includes('admin') ? <span className="form-hint warn-text">{t('scopeAdminCityWide')}</span> : null}
        <ScopePicker value={form.scopes} onChange={(scopes) => update({ scopes })} labelledBy={ids.scopes} invalid={invalid('scopes')} />
        <FieldMessages messages={fieldError('scopes')} />
      </div>

      <label className="form-field">
        <span className="form-label">{t('department')}</span>
        <select
          name="department"
          className="select-input"
          value={form.department}
          aria-invalid={invalid('department')}
          onChange={(e) => update({ department: e.target.value })}
        >
          <option value="">{t('departmentNone')}</option>
          {sortedDepartments.map((d) => (
            <option key={d.code} value={d.code}>
              {departmentLabel(d.code, departments, lang)}
            </option>
          ))}
          {form.department && !departments?.some((d) => d.code === form.department) ? (
            <option value={form.department}>{form.department}</option>
          ) : null}
        </select>
        <FieldMessages messages={fieldError('department')} />
      </label>

      <FormProblem errors={errors} />
      {unchanged ? (
        <p className="note" role="status">
          {t('nothingChanged')}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="user-form-submit">
          {busy ? t('saving') : user ? t('save') : t('userCreate')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
