import { useEffect, useRef, type RefObject } from 'react';
import { hasFieldErrors, type FormErrors } from './form-errors';

const INVALID = '[aria-invalid="true"], .scope-picker--invalid';
const CONTROL = 'input:not([type="hidden"]):not([hidden]), select, textarea';

/**
 * After a refused submission, moves the focus (and so the scroll of a long form) to the first field
 * marked invalid, so that its message is seen even when it is far above the buttons.
 */
export function useFocusFirstInvalid<Field extends string>(errors: FormErrors<Field>): RefObject<HTMLFormElement | null> {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!hasFieldErrors(errors)) return;
    const marked = form.current?.querySelector<HTMLElement>(INVALID);
    const control = marked?.matches(CONTROL) ? marked : marked?.querySelector<HTMLElement>(CONTROL);
    control?.focus();
  }, [errors]);
  return form;
}
