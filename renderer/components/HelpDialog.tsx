import { useId, useRef, type ReactNode } from 'react';
import { RISK_FACTORS, RISK_WEIGHTS, riskLevel } from '../../shared/analysis/risk';
import { useI18n } from '../i18n/I18nContext';
import { FlowRulesHelp } from './FlowRulesHelp';
import { Icon } from './Icon';
import { useModalDialog } from './useModalDialog';
import type { MessageKey } from '../i18n/en';

/** The keys the app answers to, by where they work: each a set of keys and what they do. */
const SHORTCUTS: readonly {
  section: MessageKey;
  rows: readonly { keys: readonly (readonly string[])[]; does: MessageKey }[];
}[] = [
  {
    section: 'help.keys.anywhere',
    rows: [
      { keys: [['/']], does: 'help.keys.search' },
      { keys: [['Esc']], does: 'help.keys.back' },
      { keys: [['?']], does: 'help.keys.help' },
    ],
  },
  {
    section: 'help.keys.lists',
    rows: [
      {
        keys: [
          ['j', 'k'],
          ['↓', '↑'],
        ],
        does: 'help.keys.move',
      },
      { keys: [['Page Down', 'Page Up']], does: 'help.keys.page' },
      { keys: [['Home', 'End']], does: 'help.keys.ends' },
      { keys: [['Enter']], does: 'help.keys.open' },
    ],
  },
  {
    section: 'help.keys.charts',
    rows: [{ keys: [['←', '→']], does: 'help.keys.bars' }],
  },
  {
    section: 'help.keys.replay',
    rows: [
      { keys: [['Space']], does: 'help.keys.play' },
      { keys: [['←', '→']], does: 'help.keys.step' },
    ],
  },
];

/**
 * The app's own help, shipped with it (no network): the keys each part of it answers to, and
 * how an endpoint's risk score is made, from the scorer's own table of factors and weights, so
 * it cannot drift from what the Endpoints view shows. A modal <dialog>: Escape closes it
 * without going back a view, and focus returns to what opened it (useModalDialog).
 */
export function HelpDialog(props: { onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useModalDialog(dialogRef, closeRef);

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog help-dialog"
      aria-labelledby={titleId}
      data-testid="help-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClose={props.onClose}
    >
      {/* Close first: focus starts there, at the top of a dialog that may scroll. */}
      <div className="help-head">
        <h2 id={titleId}>{t('help.title')}</h2>
        <button
          ref={closeRef}
          type="button"
          className="btn btn-icon"
          onClick={props.onClose}
          aria-label={t('app.close')}
          title={t('app.close')}
        >
          <Icon name="close" />
        </button>
      </div>
      <h3>{t('help.keys')}</h3>
      <table className="data help-keys">
        <tbody>
          {SHORTCUTS.map((s) => [
            <tr key={s.section}>
              <th colSpan={2} scope="colgroup">
                {t(s.section)}
              </th>
            </tr>,
            ...s.rows.map((r) => (
              <tr key={`${s.section}|${r.does}`}>
                <td className="help-key">
                  {r.keys.map((set, i) => (
                    <span key={set.join()}>
                      {i > 0 ? ` ${t('help.keys.or')} ` : null}
                      {set.map((k, j) => (
                        <span key={k}>
                          {j > 0 ? ' / ' : null}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </span>
                  ))}
                </td>
                <td>{t(r.does)}</td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
      <h3>{t('help.risk')}</h3>
      <p>
        {t('help.risk.rule', {
          low: t('risk.Low'),
          medium: t('risk.Medium'),
          high: t('risk.High'),
        })}
      </p>
      <table className="data help-risk" data-testid="help-risk">
        <thead>
          <tr>
            <th>{t('help.risk.factor')}</th>
            <th className="num">{t('help.risk.weight')}</th>
          </tr>
        </thead>
        <tbody>
          {RISK_FACTORS.map((id) => (
            <tr key={id}>
              <td>{t(`risk.factor.${id}`)}</td>
              <td className="num">
                {RISK_WEIGHTS[id]} {t(`risk.${riskLevel(RISK_WEIGHTS[id])}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('help.flows')}</h3>
      <p>{t('help.flows.rule')}</p>
      <FlowRulesHelp />
      <p className="muted">{t('help.elsewhere')}</p>
    </dialog>
  );
}
