import { useI18n } from '../i18n';
import { hasFieldErrors, type FormErrors } from './form-errors';

/** The messages the server gave for one field, under it. */
export function FieldMessages({ messages, id }: { messages?: readonly string[]; id?: string }) {
  if (!messages?.length) return null;
  return (
    <ul className="field-errors" id={id} role="alert" data-testid="field-error">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** Above a form's buttons: what went wrong, pointing at the marked fields when there are any. */
export function FormProblem<Field extends string>({ errors }: { errors: FormErrors<Field> }) {
  const { t } = useI18n();
  if (!errors.summary) return null;
  const onFields = hasFieldErrors(errors);
  return (
    <div className="problem form-problem" role="alert" data-testid="form-problem">
      <strong className="problem-title">{errors.summary}</strong>
      {onFields ? <span className="problem-detail">{t('failedSeeFields')}</span> : null}
      {errors.general.length ? (
        <ul className="problem-errors">
          {errors.general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
