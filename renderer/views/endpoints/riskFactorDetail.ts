import type { RiskFactorInfo } from '../../../shared/contract/specApi';
import type { I18n } from '../../i18n/I18nContext';

type Args = NonNullable<RiskFactorInfo['args']>;

function count(args: Args, name: string): number | undefined {
  const v = args[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A list of data (parameter names, media types, flows, path segments), as seen. */
function list(args: Args, name: string): string | undefined {
  const v = args[name];
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
    ? v.join(', ')
    : undefined;
}

/**
 * A risk factor's detail in the UI's language, from its `args` (shared/analysis/risk.ts
 * riskDetail says the same in English for the CLI and the exports). The stored English
 * `detail` when it cannot: a case scored before args existed (until its next rebuild), a
 * factor this version does not know, or args without a value the wording needs.
 */
export function factorDetail(f: RiskFactorInfo, { t, fmt }: Pick<I18n, 't' | 'fmt'>): string {
  const a = f.args;
  return (a && worded(f.id, a, t, fmt)) ?? f.detail;
}

function worded(id: string, a: Args, t: I18n['t'], fmt: I18n['fmt']): string | undefined {
  const n = (name: string): string | undefined => {
    const v = count(a, name);
    return v === undefined ? undefined : fmt.num(v);
  };
  switch (id) {
    case 'succeeded-attack': {
      const c = n('count');
      return c && t('risk.detail.succeeded-attack', { count: c });
    }
    case 'sensitive-params': {
      const params = list(a, 'params');
      const cards = count(a, 'cards');
      const named = params && t('risk.detail.sensitive-params', { params });
      const carded =
        cards !== undefined && cards > 0
          ? t('risk.detail.sensitive-params.cards', { cards: fmt.num(cards) })
          : undefined;
      return named && carded
        ? t('risk.detail.sensitive-params.both', { params: named, cards: carded })
        : (named ?? carded);
    }
    case 'zombie':
      return a.reason === 'removed' || a.reason === 'deprecated'
        ? t(`risk.detail.zombie.${a.reason}`)
        : undefined;
    case 'unauthenticated-sensitive-flow': {
      const c = n('count');
      const flows = list(a, 'flows');
      return c && flows && t('risk.detail.unauthenticated-sensitive-flow', { count: c, flows });
    }
    case 'many-params': {
      const c = n('count');
      return c && t('risk.detail.many-params', { count: c });
    }
    case 'structured-body': {
      const types = list(a, 'types');
      return types && t('risk.detail.structured-body', { types });
    }
    case 'file-upload':
      return t('risk.detail.file-upload');
    case 'bola': {
      const segments = list(a, 'segments');
      return segments && t('risk.detail.bola', { segments });
    }
    case 'sensitive-flow': {
      const flows = list(a, 'flows');
      return flows && t('risk.detail.sensitive-flow', { flows });
    }
    case 'shadow':
      return t('risk.detail.shadow');
    case 'server-errors': {
      const errors = count(a, 'errors');
      const requests = count(a, 'requests');
      // The share from the two counts, by the rule every share follows (never a rounded 0%).
      return errors !== undefined && requests
        ? t('risk.detail.server-errors', {
            pct: fmt.share(errors, requests),
            errors: fmt.num(errors),
            requests: fmt.num(requests),
          })
        : undefined;
    }
    case 'scanner-probed': {
      const c = n('count');
      return c && t('risk.detail.scanner-probed', { count: c });
    }
    default:
      // A factor from a newer version: its English detail.
      return undefined;
  }
}
