import type { ReactNode } from 'react';
import type { AnalysisStale } from '../../../shared/contract/caseApi';
import { assertNever } from '../../../shared/contract/errors';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/I18nContext';

/** The reason as the banner says it; the CLI's warning says the same (cli/analysisCase.ts). */
function reasonKey(stale: AnalysisStale | undefined): MessageKey {
  switch (stale) {
    case undefined:
      // A backend that does not say why: the sentence that names every reason.
      return 'overview.analysisStale';
    case 'requests':
      return 'overview.analysisStale.requests';
    case 'version':
      return 'overview.analysisStale.version';
    case 'settings':
      return 'overview.analysisStale.settings';
    case 'never':
      return 'overview.analysisStale.never';
    default:
      return assertNever(stale, 'analysis staleness');
  }
}

/** Says that the analysis shown is not the case's current one, and why, beside Rebuild. */
export function AnalysisStaleNote(props: { stale: AnalysisStale | undefined }): ReactNode {
  const { t } = useI18n();
  return (
    <p className="notice" role="status" data-testid="analysis-stale">
      {t(reasonKey(props.stale))}
    </p>
  );
}
