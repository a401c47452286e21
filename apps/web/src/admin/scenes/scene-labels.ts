import type { SceneKind } from '@cityops/contracts';
import type { MessageKey, Params, Translate } from '../../i18n';
import type { PlaylistProblem } from './playlist-form';
import type { ClientProblem } from './scene-form';

export const SCENE_KIND_LABELS: Record<SceneKind, MessageKey> = {
  overview: 'sceneKind_overview',
  event: 'sceneKind_event',
  theme: 'sceneKind_theme',
  district: 'sceneKind_district',
};

export const SCENE_KIND_HINTS: Record<SceneKind, MessageKey> = {
  overview: 'sceneKindHint_overview',
  event: 'sceneKindHint_event',
  theme: 'sceneKindHint_theme',
  district: 'sceneKindHint_district',
};

const PROBLEM_MESSAGES = {
  required: 'srvRequired',
  taken: 'sceneKeyTaken',
  bounds: 'sceneBoundsOrder',
  range: 'sceneRange',
  defaultHasNoDisplay: 'playlistDefaultHasNoDisplay',
} as const satisfies Record<ClientProblem['problem'] | PlaylistProblem['problem'], MessageKey>;

/** Problems found before sending, said in the page's language, by field. */
export function problemsByField<Field extends string>(
  problems: readonly { field: Field; problem: keyof typeof PROBLEM_MESSAGES; params?: Params }[],
  t: Translate,
): Partial<Record<Field, string[]>> {
  const byField: Partial<Record<Field, string[]>> = {};
  for (const p of problems) (byField[p.field] ??= []).push(t(PROBLEM_MESSAGES[p.problem], p.params));
  return byField;
}
