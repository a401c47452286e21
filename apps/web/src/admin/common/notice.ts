import type { MessageKey, Params } from '../../i18n';

/** A confirmation kept as a message key, so that it is said in the language the page speaks now. */
export interface Notice {
  key: MessageKey;
  params?: Params;
}
