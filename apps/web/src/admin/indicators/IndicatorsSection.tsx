import { useState } from 'react';
import type { IndicatorDefinitionView } from '@cityops/contracts';
import { ApiError } from '../../api/client';
import { deleteIndicator, fetchIndicators } from '../../api/indicators-api';
import { LoadState } from '../../catalog/DetailSection';
import { themeLabel } from '../../catalog/labels';
import { useResource } from '../../catalog/useResource';
import { FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { ConfirmButton } from '../common/ConfirmButton';
import type { Notice } from '../common/notice';
import { AdminNotice, SectionHead } from '../common/SectionHead';
import { severityLabel } from '../webhooks/webhook-labels';
import { thresholdLines } from './indicator-form';
import { groupingSummary, sourceSummary } from './indicator-labels';
import { IndicatorForm } from './IndicatorForm';

const IN_USE = 'urn:cityops:problem:indicator_in_use';

/** The composites a refused delete names (the server's detail says `… is read by a, b: …`). */
export function readersOf(failure: unknown): string {
  const detail = failure instanceof ApiError ? (failure.problem.detail ?? '') : '';
  return /is read by (.+?):/.exec(detail)?.[1] ?? detail;
}

type Panel = { kind: 'create' } | { kind: 'edit'; indicator: IndicatorDefinitionView };

/** The indicators by theme, themes in order of their first indicator's key. */
function byTheme(list: readonly IndicatorDefinitionView[]): [string, IndicatorDefinitionView[]][] {
  const groups = new Map<string, IndicatorDefinitionView[]>();
  for (const indicator of [...list].sort((a, b) => a.theme.localeCompare(b.theme) || a.key.localeCompare(b.key))) {
    const group = groups.get(indicator.theme) ?? [];
    group.push(indicator);
    groups.set(indicator.theme, group);
  }
  return [...groups];
}

/** 运行体征指标: the vital signs by theme, and the editor (create, edit, preview, delete) for admins. */
export function IndicatorsSection() {
  const { t, lang } = useI18n();
  const indicators = useResource('indicators', fetchIndicators);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const { reload } = indicators;

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const remove = async (indicator: IndicatorDefinitionView) => {
    setBusyKey(indicator.key);
    clearAction();
    setNotice(null);
    try {
      await deleteIndicator(indicator.key);
      setNotice({ key: 'indicatorDeletedNotice', params: { name: indicator.name } });
      reload();
    } catch (failure) {
      failAction(failure, (tr) => ({
        generalByType: { [IN_USE]: tr('indicatorReadByComposite', { readers: readersOf(failure) }) },
      }));
    } finally {
      setBusyKey(null);
    }
  };

  if (panel) {
    return (
      <div data-testid="admin-indicators">
        <IndicatorForm
          key={panel.kind === 'edit' ? panel.indicator.key : 'new'}
          indicator={panel.kind === 'edit' ? panel.indicator : null}
          onSaved={(saved, created) => {
            reload();
            open(null);
            setNotice({ key: created ? 'indicatorCreatedNotice' : 'indicatorSavedNotice', params: { name: saved.name } });
          }}
          onCancel={() => open(null)}
        />
      </div>
    );
  }

  return (
    <div data-testid="admin-indicators">
      <section className="admin-panel admin-list" aria-labelledby="admin-indicators-title">
        <SectionHead
          titleId="admin-indicators-title"
          title={t('adminIndicators')}
          subtitle={indicators.data ? t('indicatorsCount', { n: indicators.data.length }) : null}
          actions={{
            reload,
            loading: indicators.loading,
            refreshTestId: 'indicators-refresh',
            createLabel: t('indicatorCreateButton'),
            onCreate: () => open({ kind: 'create' }),
            createTestId: 'indicator-create',
          }}
        />
        <p className="section-intro">{t('indicatorsIntro')}</p>
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        <LoadState loading={indicators.loading} error={indicators.error} empty={indicators.data?.length === 0} onRetry={reload} />
        {indicators.data?.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="indicator-table">
              <thead>
                <tr>
                  <th>{t('indicatorColName')}</th>
                  <th>{t('indicatorColSource')}</th>
                  <th>{t('indicatorColGrouping')}</th>
                  <th>{t('indicatorColThresholds')}</th>
                  <th>{t('colStatus')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              {byTheme(indicators.data).map(([theme, group]) => (
                <tbody key={theme} data-testid="indicator-theme" data-theme={theme}>
                  <tr className="theme-row">
                    <th colSpan={6} scope="rowgroup">
                      {themeLabel(t, theme)}
                      {themeLabel(t, theme) === theme ? null : <code className="theme-key">{theme}</code>}
                    </th>
                  </tr>
                  {group.map((indicator) => (
                    <tr
                      key={indicator.key}
                      className={indicator.enabled ? undefined : 'row--disabled'}
                      data-testid="indicator-row"
                      data-key={indicator.key}
                      data-enabled={indicator.enabled}
                    >
                      <td>
                        <strong className="cell-main">{lang === 'en' && indicator.nameEn ? indicator.nameEn : indicator.name}</strong>
                        <span className="cell-sub">{lang === 'en' ? indicator.name : (indicator.nameEn ?? '')}</span>
                        <code className="cell-sub">{indicator.key}</code>
                      </td>
                      <td className="indicator-source">
                        <span className="chip">
                          {t(indicator.source.kind === 'aggregate' ? 'indicatorKindAggregate' : 'indicatorKindComposite')}
                        </span>
                        <code className="cell-sub indicator-source-text" title={sourceSummary(t, indicator)}>
                          {sourceSummary(t, indicator)}
                        </code>
                      </td>
                      <td>{groupingSummary(t, indicator)}</td>
                      <td className="num-text indicator-thresholds">
                        {thresholdLines(indicator, (level) => severityLabel(t, level)).map((line) => (
                          <span key={line} className="threshold-line">
                            {line}
                          </span>
                        ))}
                        {indicator.thresholds ? null : <span className="cell-sub">{t('indicatorNoThresholds')}</span>}
                      </td>
                      <td>
                        <span className={`chip status-chip ${indicator.enabled ? 'status-chip--ok' : 'status-chip--off'}`}>
                          {t(indicator.enabled ? 'indicatorEnabledOn' : 'indicatorEnabledOff')}
                        </span>
                      </td>
                      <td className="row-actions">
                        <button
                          type="button"
                          className="quiet-button"
                          onClick={() => open({ kind: 'edit', indicator })}
                          data-testid="indicator-edit"
                        >
                          {t('indicatorEdit')}
                        </button>
                        <ConfirmButton
                          label={t('indicatorDelete')}
                          question={t('indicatorDeleteQuestion')}
                          confirmLabel={t('deleteConfirm')}
                          onConfirm={() => void remove(indicator)}
                          busy={busyKey === indicator.key}
                          danger
                          testId="indicator-delete"
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
