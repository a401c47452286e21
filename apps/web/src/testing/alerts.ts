import type { AlertView } from '@cityops/contracts';

/** The fields of an alert view a test seldom cares about, as a firing alert with nothing special has them. */
export const QUIET_ALERT_FIELDS = {
  indicatorName: '指标',
  indicatorNameEn: null,
  theme: null,
  unit: null,
  format: null,
  stale: false,
  staleSince: null,
  op: '>=',
  resolvedBy: null,
  resolveReason: null,
  ackComment: null,
  silencedBy: null,
  escalatedAt: null,
  escalatedTo: null,
} satisfies Partial<AlertView>;
