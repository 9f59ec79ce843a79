import { useRef, useState, type ReactNode } from 'react';
import { encodeBrowserLink, encodeDesktopLink } from '../../shared/links/linkCodec.js';
import type { MessageKey } from '../i18n/en';
import { localZoneName } from '../i18n/format';
import { useI18n } from '../i18n/I18nContext';
import { useCase } from '../state/CaseContext';
import type { Prefs } from '../state/prefs';
import { useViewState } from '../state/ViewStateContext';
import { linkState, type ViewName } from '../state/viewState';
import { copyText } from './clipboard';
import { Icon } from './Icon';

const TABS: readonly { view: ViewName; label: MessageKey }[] = [
  { view: 'overview', label: 'nav.overview' },
  { view: 'sessions', label: 'nav.sessions' },
  { view: 'endpoints', label: 'nav.endpoints' },
  { view: 'attacks', label: 'nav.attacks' },
  { view: 'rules', label: 'nav.rules' },
  { view: 'audit', label: 'nav.audit' },
  { view: 'settings', label: 'nav.settings' },
  { view: 'import', label: 'nav.import' },
];

/** The one row of chrome: case, views, and the display switches (zone, language, theme). */
export function TopBar(props: {
  prefs: Prefs;
  onPrefs: (p: Prefs) => void;
  /** Opens the help (keys, how risk is scored). */
  onHelp: () => void;
}): ReactNode {
  const { t, fmt } = useI18n();
  const { app, caseInfo } = useCase();
  const { state, navigate } = useViewState();
  // After a click: copied, or the link itself when the clipboard refused it (to copy by hand).
  const linkButton = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState<{ ok: true } | { ok: false; url: string } | null>(null);
  const { prefs, onPrefs } = props;
  // The tab of the view shown; a session is the Sessions list's (opened there, Back returns
  // there). A request belongs to no tab: a session, Attacks or a link opens it, and its link
  // does not say which.
  const active: ViewName = state.view === 'session' ? 'sessions' : state.view;

  const copyLink = (): void => {
    if (!caseInfo) return;
    // A link names its case and carries only what the view shows; in browser mode it is this
    // server's URL (never with the token).
    const link = { caseUuid: caseInfo.meta.uuid, state: linkState(state) };
    const url =
      app?.mode === 'browser'
        ? encodeBrowserLink(link, Number(window.location.port) || 80)
        : encodeDesktopLink(link);
    void copyText(url).then((ok) => {
      if (!ok) {
        setCopied({ ok: false, url });
        return;
      }
      setCopied({ ok: true });
      setTimeout(() => setCopied((c) => (c?.ok ? null : c)), 2000);
    });
  };

  return (
    <header className="topbar">
      <button
        type="button"
        className="brand"
        onClick={() => navigate({ view: 'start' })}
        title={t('app.name')}
      >
        <Icon name="shield" size={16} />
        <span>{t('app.name')}</span>
      </button>
      {caseInfo ? (
        <>
          {/* Cut with an ellipsis where the window is narrow: whole in the title, with its path. */}
          <span
            className="case-name mono"
            data-testid="case-name"
            title={
              caseInfo.path.endsWith(caseInfo.name)
                ? caseInfo.path
                : `${caseInfo.name}\n${caseInfo.path}`
            }
          >
            {caseInfo.name}
          </span>
          <nav className="tabs" aria-label="views">
            {TABS.map((tab) => (
              <button
                key={tab.view}
                type="button"
                className={active === tab.view ? 'tab active' : 'tab'}
                aria-current={active === tab.view ? 'page' : undefined}
                onClick={() => navigate({ view: tab.view })}
              >
                {t(tab.label)}
              </button>
            ))}
          </nav>
        </>
      ) : (
        <span className="spacer" />
      )}
      <div className="topbar-tools">
        <label className="inline-field">
          <span className="sr-only">{t('settings.zone')}</span>
          <select
            value={prefs.zone}
            onChange={(e) =>
              onPrefs({ ...prefs, zone: e.target.value === 'local' ? 'local' : 'UTC' })
            }
            title={t('settings.timesIn', { zone: fmt.zoneName })}
          >
            <option value="UTC">{t('settings.zone.utc')}</option>
            <option value="local">{t('settings.zone.local', { zone: localZoneName() })}</option>
          </select>
        </label>
        <label className="inline-field">
          <span className="sr-only">{t('settings.language')}</span>
          <select
            value={prefs.locale}
            onChange={(e) => onPrefs({ ...prefs, locale: e.target.value === 'ja' ? 'ja' : 'en' })}
          >
            <option value="en">English</option>
            <option value="ja">日本語</option>
          </select>
        </label>
        <button
          type="button"
          className="btn btn-icon"
          onClick={() => onPrefs({ ...prefs, theme: prefs.theme === 'dark' ? 'light' : 'dark' })}
          title={`${t('settings.theme')}: ${t(prefs.theme === 'dark' ? 'settings.theme.dark' : 'settings.theme.light')}`}
          aria-label={t('settings.theme')}
        >
          <Icon name={prefs.theme === 'dark' ? 'moon' : 'sun'} />
        </button>
        <button
          type="button"
          className="btn btn-icon"
          onClick={props.onHelp}
          title={`${t('app.help')} (?)`}
          aria-label={t('app.help')}
          aria-keyshortcuts="?"
        >
          <Icon name="help" />
        </button>
        {caseInfo ? (
          <button
            type="button"
            className="btn btn-icon"
            ref={linkButton}
            onClick={copyLink}
            title={t('app.copyLink')}
            aria-label={t('app.copyLink')}
          >
            <Icon name="link" />
          </button>
        ) : null}
        <span role="status" className="copy-status">
          {copied?.ok === true ? t('app.linkCopied') : null}
          {copied?.ok === false ? (
            <>
              {t('app.linkCopyFailed')}{' '}
              <input
                className="mono"
                readOnly
                value={copied.url}
                aria-label={t('app.link')}
                onFocus={(e) => e.currentTarget.select()}
                onKeyDown={(e) => {
                  if (e.key !== 'Escape') return;
                  setCopied(null);
                  linkButton.current?.focus();
                }}
                onBlur={() => setCopied(null)}
                autoFocus
              />
            </>
          ) : null}
        </span>
      </div>
    </header>
  );
}
