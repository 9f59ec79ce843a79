import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { ja } from './ja';
import { createFormatter, type Formatter, type Locale, type ZoneMode } from './format';

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, ja };

export type TFunction = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface I18n {
  t: TFunction;
  fmt: Formatter;
  locale: Locale;
}

/** Replaces `{name}` with params.name; unknown names stay visible so a gap is noticed. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

export function createI18n(locale: Locale, zone: ZoneMode): I18n {
  const catalog = CATALOGS[locale];
  return {
    t: (key, params) => interpolate(catalog[key] ?? en[key], params),
    fmt: createFormatter(locale, zone),
    locale,
  };
}

const I18nCtx = createContext<I18n>(createI18n('en', 'UTC'));

export function I18nProvider(props: {
  locale: Locale;
  zone: ZoneMode;
  children: ReactNode;
}): ReactNode {
  const value = useMemo(() => createI18n(props.locale, props.zone), [props.locale, props.zone]);
  return <I18nCtx.Provider value={value}>{props.children}</I18nCtx.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nCtx);
}
