import { memo, type ReactNode } from 'react';
import type { CountOf, SessionDetail } from '../../../shared/contract/analysisApi';
import { useI18n } from '../../i18n/I18nContext';
import type { FilterField } from '../../state/filters';
import { DistributionPanel, type DistItem } from './DistributionPanel';

function counted(list: readonly CountOf<string>[] | undefined): DistItem[] {
  return (list ?? [])
    .filter((c) => c.value !== '')
    .map((c) => ({ key: c.value, label: c.value, count: c.count }));
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
  const users = counted(d.byUser);
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
        omitted={d.omitted?.byAttack}
        onShowOnly={show('attackTypes')}
      />
      <DistributionPanel
        title={t('dist.users')}
        items={users}
        omitted={d.omitted?.byUser}
        onShowOnly={show('users')}
      />
      <DistributionPanel
        title={t('dist.ips')}
        items={ips}
        omitted={d.omitted?.byIp}
        onShowOnly={show('ips')}
      />
      <DistributionPanel
        title={t('dist.methods')}
        items={methods}
        omitted={d.omitted?.byMethod}
        onShowOnly={show('methods')}
      />
      <DistributionPanel
        title={t('dist.statuses')}
        items={statuses}
        omitted={d.omitted?.byStatus}
        onShowOnly={show('statuses')}
      />
      <DistributionPanel title={t('dist.flows')} items={flows} onShowOnly={show('flows')} />
      <DistributionPanel
        title={t('dist.endpoints')}
        items={endpoints}
        omitted={d.omitted?.byEndpoint}
        onShowOnly={show('endpoints')}
      />
    </div>
  );
});
