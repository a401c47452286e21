import { INDICATOR_SERVER_MESSAGES } from '../admin/indicators/indicator-server-messages';
import { SCENE_SERVER_MESSAGES } from '../admin/scenes/scene-server-messages';
import { CASE_SERVER_MESSAGES } from '../cases/case-server-messages';
import type { MessageKey, Params, Translate } from '../i18n';

/** A server message the page knows: its English pattern, and the words to say instead with the parts it keeps. */
export interface KnownServerMessage {
  pattern: RegExp;
  key: MessageKey;
  params?: (match: RegExpExecArray, t: Translate) => Params;
}

/**
 * The server words its validation messages in English (zod's, and the identity rules'). The ones
 * an admin or a person changing their password meets are said in the page's language here; any
 * other message is shown as the server wrote it, so nothing is hidden.
 */
const KNOWN: KnownServerMessage[] = [
  { pattern: /^(?:must have )?at least (\d+) characters$/, key: 'srvMinChars', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too small: expected string to have >=1 characters$/, key: 'srvRequired' },
  { pattern: /^Too small: expected string to have >=(\d+) characters$/, key: 'srvMinChars', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too big: expected string to have <=(\d+) characters$/, key: 'srvMaxChars', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too small: expected array to have >=1 items$/, key: 'srvChooseOne' },
  { pattern: /^Too big: expected array to have <=(\d+) items$/, key: 'srvMaxItems', params: (m) => ({ n: m[1] }) },
  { pattern: /^Invalid input: expected \w+, received undefined$/, key: 'srvRequired' },
  { pattern: /^is one of the most commonly used passwords/, key: 'srvCommonPassword' },
  { pattern: /^repeats one character/, key: 'srvRepeatedCharacter' },
  { pattern: /^must not contain the user name or display name$/, key: 'srvContainsName' },
  { pattern: /^must not contain the name of this product$/, key: 'srvContainsProduct' },
  { pattern: /^is not the current password$/, key: 'srvWrongCurrentPassword' },
  { pattern: /^is the current password$/, key: 'srvSamePassword' },
  { pattern: /^2–64 characters: lower-case letters, digits, _ \. -$/, key: 'srvUsernameRule' },
  { pattern: /^there is no area with code "(.*)"$/, key: 'srvNoSuchArea', params: (m) => ({ code: m[1] }) },
  { pattern: /^there is no zone set "(.*)"$/, key: 'srvNoSuchZoneSet', params: (m) => ({ key: m[1] }) },
  { pattern: /^there is no such department/, key: 'srvNoSuchDepartment' },
  { pattern: /^there is no such feed/, key: 'srvNoSuchFeed' },
  { pattern: /^there is no feed "(.*)"/, key: 'srvNoSuchFeed' },
  { pattern: /^give at least one of indicatorKey, areaId, theme$/, key: 'silenceNeedsTarget' },
  { pattern: /^must be after startsAt$/, key: 'silenceEndBeforeStart' },
  { pattern: /^required: your scope is not the whole city/, key: 'silenceAreaForScope' },
  { pattern: /^no such area in your scope$/, key: 'silenceAreaOutsideScope' },
  { pattern: /^no such area$/, key: 'silenceUnknownArea' },
  { pattern: /^no such indicator$/, key: 'silenceUnknownIndicator' },
  ...INDICATOR_SERVER_MESSAGES,
  ...SCENE_SERVER_MESSAGES,
  ...CASE_SERVER_MESSAGES,
  // zod's own wording (its English locale), after the specific ones above.
  { pattern: /^not a valid key \(a-z, 0-9, _ \. -\)$/, key: 'srvKeyRule' },
  { pattern: /^Too small: expected number to be >=(\S+)$/, key: 'srvMinNumber', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too small: expected number to be >(\S+)$/, key: 'srvAboveNumber', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too big: expected number to be <=(\S+)$/, key: 'srvMaxNumber', params: (m) => ({ n: m[1] }) },
  { pattern: /^Too big: expected number to be <(\S+)$/, key: 'srvBelowNumber', params: (m) => ({ n: m[1] }) },
  { pattern: /^Invalid input: expected int, received number$/, key: 'srvInteger' },
  { pattern: /^Invalid input: expected number, received \w+$/, key: 'srvNumber' },
  { pattern: /^Invalid input: expected boolean, received \w+$/, key: 'srvBoolean' },
  { pattern: /^Invalid input: expected (\w+), received \w+$/, key: 'srvWrongType', params: (m) => ({ type: m[1] }) },
  { pattern: /^Invalid input: expected ("[^"]*"|\S+)$/, key: 'srvExpectedValue', params: (m) => ({ value: m[1] }) },
  { pattern: /^Invalid option: expected one of (.+)$/, key: 'srvOneOf', params: (m) => ({ options: m[1].split('|').join(', ') }) },
  {
    pattern: /^Invalid discriminator value\. Expected (.+)$/,
    key: 'srvOneOf',
    params: (m) => ({ options: m[1].split(' | ').join(', ') }),
  },
  { pattern: /^Unrecognized keys?: (.+)$/, key: 'srvUnknownKeys', params: (m) => ({ keys: m[1] }) },
  { pattern: /^Invalid input$/, key: 'srvInvalid' },
];

export function serverMessage(message: string, t: Translate): string {
  for (const { pattern, key, params } of KNOWN) {
    const match = pattern.exec(message);
    if (match) return t(key, params?.(match, t));
  }
  return message;
}
