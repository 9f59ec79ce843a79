import type { Locale, ZoneMode } from '../i18n/format';

/** Per-investigator display preferences; kept on this machine, never in a shared link. */
export type Theme = 'dark' | 'light';

export interface Prefs {
  theme: Theme;
  locale: Locale;
  zone: ZoneMode;
}

const KEY = 'sessionscope.prefs';

export function defaultPrefs(nav: { language?: string } | undefined): Prefs {
  const lang = nav?.language ?? 'en';
  return { theme: 'dark', locale: lang.toLowerCase().startsWith('ja') ? 'ja' : 'en', zone: 'UTC' };
}

/** Reads stored prefs, ignoring anything malformed (storage is user-editable). */
export function loadPrefs(storage: Storage | undefined, fallback: Prefs): Prefs {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return fallback;
    const p = JSON.parse(raw) as Partial<Record<keyof Prefs, unknown>>;
    return {
      theme: p.theme === 'light' || p.theme === 'dark' ? p.theme : fallback.theme,
      locale: p.locale === 'ja' || p.locale === 'en' ? p.locale : fallback.locale,
      zone: p.zone === 'local' || p.zone === 'UTC' ? p.zone : fallback.zone,
    };
  } catch {
    return fallback;
  }
}

export function savePrefs(storage: Storage | undefined, prefs: Prefs): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Storage can be full or disabled; preferences are a convenience, not evidence.
  }
}
