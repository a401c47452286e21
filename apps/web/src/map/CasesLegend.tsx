import { CASE_STATES, FINAL_CASE_STATES } from '@cityops/contracts';
import { STATE_COLORS, STATE_LABELS } from '../cases/case-labels';
import { useI18n, type MessageKey } from '../i18n';
import { OVERDUE_COLOR, SUPERVISION_COLORS } from './layers/cases-layer.style';

const LEVELS: [1 | 2 | 3 | 4, MessageKey][] = [
  [1, 'caseSupervisionLevel1'],
  [2, 'caseSupervisionLevel2'],
  [3, 'caseSupervisionLevel3'],
  [4, 'caseSupervisionLevel4'],
];

/** How the cases layer reads: a colour per open state, a ring per 督办 level, the overdue mark. */
export function CasesLegend({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={compact ? 'cases-legend cases-legend--compact' : 'cases-legend'} data-testid="cases-legend">
      <ul className="cases-legend-states">
        {CASE_STATES.filter((state) => !FINAL_CASE_STATES.includes(state)).map((state) => (
          <li key={state}>
            <span className="state-dot" style={{ background: STATE_COLORS[state] }} aria-hidden="true" />
            {t(STATE_LABELS[state])}
          </li>
        ))}
      </ul>
      <ul className="cases-legend-marks">
        {LEVELS.map(([level, label]) => (
          <li key={level}>
            <span className="cases-legend-ring" style={{ borderColor: SUPERVISION_COLORS[level] }} aria-hidden="true" />
            {t('mapCasesRing', { level: t(label) })}
          </li>
        ))}
        <li>
          <span className="cases-legend-overdue" style={{ background: OVERDUE_COLOR }} aria-hidden="true" />
          {t('mapCasesOverdue')}
        </li>
      </ul>
    </div>
  );
}
