/**
 * The map's context labels (start and finish of a zone set), spread into both dictionaries of
 * `i18n.ts` so the shared dictionary changes by one line each.
 */
export const CONTEXT_LABELS_ZH = {
  mapCourseStart: '起点',
  mapCourseFinish: '终点',
};

export const CONTEXT_LABELS_EN: Record<keyof typeof CONTEXT_LABELS_ZH, string> = {
  mapCourseStart: 'Start',
  mapCourseFinish: 'Finish',
};
