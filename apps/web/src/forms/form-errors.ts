import { ApiError } from '../api/client';
import type { Translate } from '../i18n';
import { serverMessage } from './server-messages';

/** What a refused form submission says, placed: under the fields it names, or for the form as a whole. */
export interface FormErrors<Field extends string> {
  /** Messages per field, in the page's language where the server's wording is known. */
  byField: Partial<Record<Field, string[]>>;
  /** Messages that name no field of the form (or `(root)`), to show above the buttons. */
  general: string[];
  /** The failure as a whole (its title by status), or null when there was none. */
  summary: string | null;
}

export interface FormErrorOptions<Field extends string> {
  /**
   * Problems without `errors` that are about one field, by problem type, e.g. a taken user name
   * (`urn:cityops:problem:username_taken` → `username`) with the message to show there.
   */
  byType?: Partial<Record<string, { field: Field; message: string }>>;
  /** Problems without `errors` said in the page's language, by problem type. */
  generalByType?: Partial<Record<string, string>>;
}

export const NO_FORM_ERRORS: FormErrors<never> = { byField: {}, general: [], summary: null };

/** `scopes.0.area` → `scopes`: a field of the form is the first segment of the path. */
function fieldOf<Field extends string>(path: string, fields: readonly Field[]): Field | null {
  const first = path.split('.')[0];
  return (fields as readonly string[]).includes(first) ? (first as Field) : null;
}

/** The title of a failure by its status, in the page's language (the server's titles are English). */
export function failureTitle(error: ApiError, t: Translate): string {
  if (error.isNetworkError || error.status === 0) return t('errorNetwork');
  if (error.status === 400 || error.status === 413) return t('failedInvalid');
  if (error.status === 403) return t('failedForbidden');
  if (error.status === 404) return t('failedNotFound');
  if (error.status === 409) return t('failedConflict');
  if (error.status === 429) return t('failedTooMany');
  if (error.status >= 500) return t('failedServer');
  return error.problem.title || t('errorGeneric');
}

/**
 * Places the problem of a refused submission: each `errors` entry under the field its path names
 * (translated where known), the rest for the form; a problem without `errors` goes to a field when
 * its type says which, else its detail is shown for the form.
 */
export function formErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  t: Translate,
  options: FormErrorOptions<Field> = {},
): FormErrors<Field> {
  const result: FormErrors<Field> = { byField: {}, general: [], summary: null };
  if (!error) return result;
  const add = (field: Field, message: string) => {
    (result.byField[field] ??= []).push(message);
  };
  if (!(error instanceof ApiError)) {
    result.summary = t('errorGeneric');
    if (error instanceof Error && error.message) result.general.push(error.message);
    return result;
  }
  result.summary = failureTitle(error, t);
  const problem = error.problem;
  if (problem.errors?.length) {
    for (const issue of problem.errors) {
      const field = fieldOf(issue.path, fields);
      const message = serverMessage(issue.message, t);
      if (field) add(field, message);
      else result.general.push(issue.path && issue.path !== '(root)' ? `${issue.path}: ${message}` : message);
    }
    return result;
  }
  const typed = options.byType?.[problem.type];
  if (typed) {
    add(typed.field, typed.message);
    return result;
  }
  const general = options.generalByType?.[problem.type];
  if (general) result.general.push(general);
  else if (error.isNetworkError) result.general.push(t('errorNetworkDetail'));
  else if (problem.detail) result.general.push(problem.detail);
  return result;
}

/** Whether any message is placed on a field (the summary then points at them). */
export function hasFieldErrors<Field extends string>(errors: FormErrors<Field>): boolean {
  return Object.values(errors.byField).some((messages) => (messages as string[] | undefined)?.length);
}
