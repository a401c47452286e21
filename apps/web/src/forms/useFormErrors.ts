import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useI18n, type Translate } from '../i18n';
import { formErrors, hasFieldErrors, NO_FORM_ERRORS, type FormErrorOptions, type FormErrors } from './form-errors';

export interface FormErrorState<Field extends string> {
  /** What to show, in the page's current language (switching it re-says the messages). */
  errors: FormErrors<Field>;
  /** The form: after a refusal, the first field marked invalid gets the focus. */
  formRef: RefObject<HTMLFormElement | null>;
  /** Problems found before sending, as messages per field. */
  refuse: (problems: (t: Translate) => Partial<Record<Field, string[]>>) => void;
  /** A request that failed: its problem placed on the fields it names. */
  fail: (failure: unknown, options?: (t: Translate) => FormErrorOptions<Field>) => void;
  clear: () => void;
}

/**
 * The refusal a form shows, kept as what happened rather than as words, so that it is said in the
 * language the page speaks now. After each new refusal the focus (and so the scroll of a long form)
 * moves to the first field marked invalid, so that its message is seen even far above the buttons.
 */
export function useFormErrors<Field extends string>(fields: readonly Field[]): FormErrorState<Field> {
  const { t } = useI18n();
  const [source, setSource] = useState<((t: Translate) => FormErrors<Field>) | null>(null);
  const errors = useMemo(() => (source ? source(t) : (NO_FORM_ERRORS as FormErrors<Field>)), [source, t]);
  const formRef = useRef<HTMLFormElement>(null);
  const fieldsRef = useRef(fields);

  useEffect(() => {
    if (!source || !hasFieldErrors(source(translateNothing))) return;
    const marked = formRef.current?.querySelector<HTMLElement>(INVALID);
    const control = marked?.matches(CONTROL) ? marked : marked?.querySelector<HTMLElement>(CONTROL);
    control?.focus();
  }, [source]);

  const refuse = useCallback((problems: (t: Translate) => Partial<Record<Field, string[]>>) => {
    setSource(() => (tr: Translate) => ({ byField: problems(tr), general: [], summary: tr('failedInvalid') }));
  }, []);
  const fail = useCallback((failure: unknown, options?: (t: Translate) => FormErrorOptions<Field>) => {
    setSource(() => (tr: Translate) => formErrors(failure, fieldsRef.current, tr, options?.(tr)));
  }, []);
  const clear = useCallback(() => setSource(null), []);
  return { errors, formRef, refuse, fail, clear };
}

const INVALID = '[aria-invalid="true"], .scope-picker--invalid';
const CONTROL = 'input:not([type="hidden"]):not([hidden]), select, textarea';

/** Only to ask whether a refusal names fields; the words do not matter. */
const translateNothing: Translate = (key) => key;
