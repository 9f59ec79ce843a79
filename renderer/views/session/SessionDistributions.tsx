import { memo, type ReactNode } from 'react';
import type {
  CountOf,
  SessionDetail,
  SessionDistribution,
} from '../../../shared/contract/analysisApi';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/I18nContext';
import type { FilterField } from '../../state/filters';
import { DistributionPanel, type DistItem } from './DistributionPanel';

function counted(list: readonly CountOf<string>[] | undefined): DistItem[] {
  return (list ?? [])
    .filter((c) => c.value !== '')
    .map((c) => ({ key: c.value, label: c.value, count: c.count }));
}

/**
 * The users with a row for the matching requests that name none, in count order (as the
 * backend orders a missing IP or status), so the panel adds up to the session's requests.
 */
function withNoUser(users: DistItem[], withoutUser: number, label: string): DistItem[] {
  if (withoutUser <= 0) return users;
  const none: DistItem = { key: '', label, count: withoutUser, filterable: false, missing: true };
  const at = users.findIndex((u) => u.count < withoutUser);
  return at < 0 ? [...users, none] : [...users.slice(0, at), none, ...users.slice(at)];
}

/**
 * The session's requests broken down seven ways, all counted by the backend over every
 * matching request (no sample of the requests is read). Memoised: a replay step or the
 * timeline arriving re-renders the page, not these panels.
 */
export const SessionDistributions = memo(function SessionDistributions(props: {
  detail: SessionDetail;
  onShowOnly: (field: FilterField, value: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const d = props.detail;
  const attacks = counted(d.byAttack);
  const users = withNoUser(counted(d.byUser), d.withoutUser ?? 0, t('dist.noUser'));
  const ips: DistItem[] = d.byIp.map((c) => ({
    key: c.value ?? '',
    label: c.value ?? '—',
    count: c.count,
    filterable: c.value !== null,
    missing: c.value === null,
  }));
  const methods: DistItem[] = d.byMethod.map((c) => ({
    key: c.value,
    label: c.value,
    count: c.count,
  }));
  const statuses: DistItem[] = d.byStatus.map((c) => ({
    key: c.value === null ? '' : String(c.value),
    label: c.value === null ? '—' : String(c.value),
    count: c.count,
    filterable: c.value !== null,
    missing: c.value === null,
  }));
  const flows: DistItem[] = d.flows.map((f) => ({ key: f.flow, label: f.flow, count: f.count }));
  const endpoints: DistItem[] = d.byEndpoint.map((e) => ({
    key: e.endpointId,
    label: `${e.method} ${e.template}`,
    count: e.count,
  }));
  const requests = d.session.matchedRequests;
  // In page order: title, items, what the backend's top left out, the filter a pick sets, and
  // the requests counted where the values' sum is not them: values a request can hold several
  // of (attack types, flows), and users (a request may name none).
  const panels: [MessageKey, DistItem[], SessionDistribution | null, FilterField, number?][] = [
    ['dist.attacks', attacks, 'byAttack', 'attackTypes', requests],
    ['dist.users', users, 'byUser', 'users', requests],
    ['dist.ips', ips, 'byIp', 'ips'],
    ['dist.methods', methods, 'byMethod', 'methods'],
    ['dist.statuses', statuses, 'byStatus', 'statuses'],
    ['dist.flows', flows, null, 'flows', requests],
    ['dist.endpoints', endpoints, 'byEndpoint', 'endpoints'],
  ];
  return (
    <div className="dist-grid">
      {panels.map(([title, items, dist, field, of]) => (
        <DistributionPanel
          key={title}
          title={t(title)}
          items={items}
          of={of}
          omitted={dist === null ? undefined : d.omitted?.[dist]}
          onShowOnly={(item) => props.onShowOnly(field, item.key)}
        />
      ))}
    </div>
  );
});
