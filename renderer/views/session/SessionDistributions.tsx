import type { ReactNode } from 'react';
import type { SessionDetail, SessionRequest } from '../../../shared/contract/analysisApi';
import { useI18n } from '../../i18n/I18nContext';
import type { FilterField } from '../../state/filters';
import { DistributionPanel, type DistItem } from './DistributionPanel';

function countBy<T>(items: readonly T[], key: (t: T) => string | null): DistItem[] {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    if (k !== null && k !== '') m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, count]) => ({ key: k, label: k, count }));
}

/**
 * The session's requests broken down seven ways. Methods, statuses, IPs, endpoints and flows
 * come complete from the backend; users and attacks are counted from the loaded requests.
 */
export function SessionDistributions(props: {
  detail: SessionDetail;
  sample: readonly SessionRequest[];
  attacksOf: (id: number) => readonly string[];
  onShowOnly: (field: FilterField, value: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const d = props.detail;
  const attacks = countBy(
    props.sample.flatMap((r) => props.attacksOf(r.id)),
    (a) => a,
  );
  const users = countBy(props.sample, (r) => r.user);
  const ips: DistItem[] = d.byIp.map((c) => ({
    key: c.value ?? '',
    label: c.value ?? '—',
    count: c.count,
    filterable: c.value !== null,
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
  }));
  const flows: DistItem[] = d.flows.map((f) => ({ key: f.flow, label: f.flow, count: f.count }));
  const endpoints: DistItem[] = d.byEndpoint.map((e) => ({
    key: e.endpointId,
    label: `${e.method} ${e.template}`,
    count: e.count,
  }));
  const show =
    (field: FilterField) =>
    (item: DistItem): void =>
      props.onShowOnly(field, item.key);
  return (
    <div className="dist-grid">
      <DistributionPanel
        title={t('dist.attacks')}
        items={attacks}
        onShowOnly={show('attackTypes')}
      />
      <DistributionPanel title={t('dist.users')} items={users} onShowOnly={show('users')} />
      <DistributionPanel title={t('dist.ips')} items={ips} onShowOnly={show('ips')} />
      <DistributionPanel title={t('dist.methods')} items={methods} onShowOnly={show('methods')} />
      <DistributionPanel
        title={t('dist.statuses')}
        items={statuses}
        onShowOnly={show('statuses')}
      />
      <DistributionPanel title={t('dist.flows')} items={flows} onShowOnly={show('flows')} />
      <DistributionPanel
        title={t('dist.endpoints')}
        items={endpoints}
        onShowOnly={show('endpoints')}
      />
    </div>
  );
}
