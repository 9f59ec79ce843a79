import { useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/contract/errors';
import {
  MATCH_KINDS,
  NAMED_FIELDS,
  RULE_FIELDS,
  RULE_KINDS,
  ruleInputSchema,
  SUPPRESS_SCOPES,
  type MatchKind,
  type RuleField,
  type RuleInfo,
  type RuleKind,
  type SuppressScope,
} from '../../../shared/rules/ruleModel';
import { useApi } from '../../api/ApiContext';
import { ErrorNote } from '../../components/ErrorNote';
import type { MessageKey } from '../../i18n/en';
import { useRebuilds } from '../../components/RebuildProgress';
import { useI18n } from '../../i18n/I18nContext';

export const KIND_LABEL: Record<RuleKind, MessageKey> = {
  suppress: 'rules.kind.suppress',
  detect: 'rules.kind.detect',
  tag: 'rules.kind.tag',
};
export const FIELD_LABEL: Record<RuleField, MessageKey> = {
  path: 'rules.field.path',
  query: 'rules.field.query',
  body: 'rules.field.body',
  param: 'rules.field.param',
  header: 'rules.field.header',
  cookie: 'rules.field.cookie',
  ua: 'rules.field.ua',
};
const SCOPE_LABEL: Record<SuppressScope, MessageKey> = {
  signature: 'rules.scope.signature',
  type: 'rules.scope.type',
  all: 'rules.scope.all',
};
const MATCH_LABEL: Record<MatchKind, MessageKey> = {
  literal: 'rules.match.literal',
  regex: 'rules.match.regex',
};

/**
 * Adds one rule, or edits `editing` (its kind stays; a suppress rule keeps its endpoint). The
 * input is checked with the contract's own schema first (so a pattern the linear-time engine
 * refuses is explained before sending), and the backend checks it again. Remount with a `key`
 * per rule so the fields start from that rule.
 */
export function RuleForm(props: {
  editing?: RuleInfo | undefined;
  onDone: () => void;
  onCancel?: () => void;
}): ReactNode {
  const { t } = useI18n();
  const client = useApi();
  const e0 = props.editing;
  const [kind, setKind] = useState<RuleKind>(e0?.kind ?? 'detect');
  const [scope, setScope] = useState<SuppressScope>(e0?.scope ?? 'signature');
  const [field, setField] = useState<RuleField>(e0?.field ?? 'query');
  const [match, setMatch] = useState<MatchKind>(e0?.match ?? 'literal');
  const [text, setText] = useState(
    e0
      ? {
          ruleId: e0.ruleId ?? '',
          type: e0.type ?? '',
          param: e0.param ?? '',
          fieldName: e0.fieldName ?? '',
          pattern: e0.pattern ?? '',
          label: e0.label ?? '',
          note: e0.note ?? '',
        }
      : { ruleId: '', type: '', param: '', fieldName: '', pattern: '', label: '', note: '' },
  );
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  // A rebuild holds the case for writing: no change until it has finished (the rules page says so).
  const { running } = useRebuilds();
  const set = (k: keyof typeof text) => (e: { target: { value: string } }) =>
    setText((s) => ({ ...s, [k]: e.target.value }));
  const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const raw =
      kind === 'suppress'
        ? {
            kind,
            scope,
            ruleId: scope === 'signature' ? opt(text.ruleId) : undefined,
            type: scope === 'type' ? opt(text.type) : undefined,
            endpoint: e0?.endpoint ?? undefined,
            param: opt(text.param),
            note: opt(text.note),
          }
        : {
            kind,
            field,
            fieldName: NAMED_FIELDS.has(field) ? opt(text.fieldName) : undefined,
            match,
            pattern: text.pattern,
            ...(kind === 'detect' ? { type: text.type } : { label: text.label }),
            note: opt(text.note),
          };
    const parsed = ruleInputSchema.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
    );
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      const at = i.path.map(String).join('.');
      setError({ code: 'BAD_INPUT', message: `${at ? `${at}: ` : ''}${i.message}` });
      return;
    }
    setBusy(true);
    setError(null);
    const r = e0
      ? await client.call('updateRule', { id: e0.id, rule: parsed.data })
      : await client.call('addRule', parsed.data);
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    if (!e0) setText((s) => ({ ...s, pattern: '', note: '' }));
    props.onDone();
  };

  const input = (k: keyof typeof text, label: MessageKey, mono = true): ReactNode => (
    <label className="field">
      <span>{t(label)}</span>
      <input className={mono ? 'mono' : undefined} value={text[k]} onChange={set(k)} />
    </label>
  );

  return (
    <form
      className="form"
      aria-label={e0 ? t('rules.editing', { id: e0.id }) : t('rules.add')}
      onSubmit={(e) => void submit(e)}
    >
      <h2>{e0 ? t('rules.editing', { id: e0.id }) : t('rules.add')}</h2>
      <label className="field">
        <span>{t('rules.kind')}</span>
        <select
          value={kind}
          disabled={e0 !== undefined}
          onChange={(e) => setKind(e.target.value as RuleKind)}
        >
          {RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(KIND_LABEL[k])}
            </option>
          ))}
        </select>
      </label>
      {kind === 'suppress' ? (
        <>
          <label className="field">
            <span>{t('rules.scope')}</span>
            <select value={scope} onChange={(e) => setScope(e.target.value as SuppressScope)}>
              {SUPPRESS_SCOPES.map((s) => (
                <option key={s} value={s}>
                  {t(SCOPE_LABEL[s])}
                </option>
              ))}
            </select>
          </label>
          {scope === 'signature' ? input('ruleId', 'rules.ruleId') : null}
          {scope === 'type' ? input('type', 'rules.type') : null}
          {input('param', 'rules.param')}
          {e0?.endpoint ? (
            <p className="muted small mono">
              {`${e0.endpoint.method} ${e0.endpoint.host}${e0.endpoint.template}`}
            </p>
          ) : null}
        </>
      ) : (
        <>
          <label className="field">
            <span>{t('rules.field')}</span>
            <select value={field} onChange={(e) => setField(e.target.value as RuleField)}>
              {RULE_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {t(FIELD_LABEL[f])}
                </option>
              ))}
            </select>
          </label>
          {NAMED_FIELDS.has(field) ? input('fieldName', 'rules.fieldName') : null}
          <label className="field">
            <span>{t('rules.match')}</span>
            <select value={match} onChange={(e) => setMatch(e.target.value as MatchKind)}>
              {MATCH_KINDS.map((m) => (
                <option key={m} value={m}>
                  {t(MATCH_LABEL[m])}
                </option>
              ))}
            </select>
          </label>
          {input('pattern', 'rules.pattern')}
          {kind === 'detect' ? input('type', 'rules.type') : input('label', 'rules.label')}
        </>
      )}
      {input('note', 'rules.note', false)}
      {error ? <ErrorNote error={error} /> : null}
      <div>
        <button type="submit" className="btn btn-primary" disabled={busy || running}>
          {busy ? t('verdict.working') : e0 ? t('rules.save') : t('rules.add')}
        </button>{' '}
        {props.onCancel ? (
          <button type="button" className="btn" disabled={busy} onClick={props.onCancel}>
            {t('rules.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
