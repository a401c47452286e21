import type { CaseState, CaseSummary } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { localized } from './case-labels';
import { Countdown, SourceLabel, StateBadge, SupervisionBadge } from './CaseBits';

interface CaseListProps {
  items: readonly CaseSummary[];
  /** A department's name in the page's language, by its key (the list carries the Chinese one). */
  departmentName: (key: string | null) => string | null;
  now: number;
  selected: string | null;
  onOpen: (code: string) => void;
}

/** The cases as a table, newest first: one row each, the whole row opens the case. */
export function CaseTable({ items, departmentName, now, selected, onOpen }: CaseListProps) {
  const { t, lang } = useI18n();
  return (
    <table className="case-table" data-testid="case-table">
      <thead>
        <tr>
          <th scope="col">{t('caseColCode')}</th>
          <th scope="col">{t('caseColCategory')}</th>
          <th scope="col">{t('caseColDescription')}</th>
          <th scope="col">{t('caseColPlace')}</th>
          <th scope="col">{t('caseColState')}</th>
          <th scope="col">{t('caseColDepartment')}</th>
          <th scope="col">{t('caseColDeadline')}</th>
          <th scope="col">{t('caseColSource')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr
            key={c.code}
            className={`case-row${selected === c.code ? ' case-row--selected' : ''}${c.overdue ? ' case-row--overdue' : ''}`}
            data-testid="case-row"
            data-code={c.code}
            data-state={c.state}
            onClick={() => onOpen(c.code)}
          >
            <td className="case-code-cell">
              <a
                href={`/cases/${c.code}`}
                className="case-code"
                onClick={(event) => {
                  // The row opens it in the side panel; a middle click or a new tab still gets the link.
                  if (event.button === 0 && !event.metaKey && !event.ctrlKey) {
                    event.preventDefault();
                    event.stopPropagation();
                    onOpen(c.code);
                  }
                }}
              >
                {c.code}
              </a>
              {c.priority === 'high' || c.priority === 'urgent' ? (
                <span className={`case-priority case-priority--${c.priority}`}>
                  {t(c.priority === 'urgent' ? 'casePriorityUrgent' : 'casePriorityHigh')}
                </span>
              ) : null}
            </td>
            <td>{localized(c.categoryName, c.categoryNameEn, lang)}</td>
            <td className="case-description-cell" title={c.description}>
              {c.description}
              {c.address ? <span className="case-address dim">{c.address}</span> : null}
            </td>
            <td className="case-place-cell">
              <span>{c.districtName ?? '—'}</span>
              <span className="dim small">{c.gridName}</span>
            </td>
            <td>
              <StateBadge state={c.state} />
            </td>
            <td>{departmentName(c.department) ?? c.departmentName ?? <span className="dim">{t('caseUnassigned')}</span>}</td>
            <td className="nowrap">
              <Countdown item={c} now={now} />
              {c.supervision ? <SupervisionBadge supervision={c.supervision} /> : null}
            </td>
            <td className="nowrap">
              <SourceLabel source={c.source} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The board's columns, in the order a case moves through them; the ended ones are folded into one. */
export const BOARD_COLUMNS: readonly CaseState[] = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'verified',
  'returned',
];
const ENDED: readonly CaseState[] = ['closed', 'invalid', 'duplicate', 'cancelled'];

/** The cases of the page by state: a column per working state, the ended ones folded. */
export function CaseBoard({ items, now, selected, onOpen }: Omit<CaseListProps, 'departmentName'>) {
  const { t } = useI18n();
  const ended = items.filter((c) => ENDED.includes(c.state));
  return (
    <div className="case-board" data-testid="case-board">
      {BOARD_COLUMNS.map((state) => {
        const column = items.filter((c) => c.state === state);
        return (
          <section key={state} className="case-column" data-testid="case-column" data-state={state}>
            <h3 className="case-column-title">
              <StateBadge state={state} />
              <span className="case-column-count">{column.length}</span>
            </h3>
            {column.length ? (
              <ul className="case-cards">
                {column.map((c) => (
                  <BoardCard key={c.code} item={c} now={now} selected={selected === c.code} onOpen={onOpen} />
                ))}
              </ul>
            ) : (
              <p className="dim small case-column-empty">{t('caseBoardEmpty')}</p>
            )}
          </section>
        );
      })}
      <details className="case-column case-column--ended" data-testid="case-column" data-state="ended">
        <summary className="case-column-title">{t('caseBoardFinal', { n: ended.length })}</summary>
        <ul className="case-cards">
          {ended.map((c) => (
            <BoardCard key={c.code} item={c} now={now} selected={selected === c.code} onOpen={onOpen} />
          ))}
        </ul>
      </details>
    </div>
  );
}

function BoardCard({ item, now, selected, onOpen }: { item: CaseSummary; now: number; selected: boolean; onOpen: (code: string) => void }) {
  const { lang } = useI18n();
  return (
    <li>
      <button
        type="button"
        className={`case-card${selected ? ' case-card--selected' : ''}`}
        onClick={() => onOpen(item.code)}
        data-testid="case-card"
        data-code={item.code}
      >
        <span className="case-card-head">
          <span className="case-code">{item.code}</span>
          <SourceLabel source={item.source} iconOnly />
        </span>
        <span className="case-card-category">{localized(item.categoryName, item.categoryNameEn, lang)}</span>
        <span className="case-card-description">{item.description}</span>
        <span className="case-card-foot">
          <span className="dim small">{item.districtName ?? item.gridName}</span>
          <Countdown item={item} now={now} />
        </span>
      </button>
    </li>
  );
}
