import type { ParseArgsConfig } from 'node:util';
import { endpointFiltersSchema, type EndpointFilters } from '../../shared/contract/analysisApi.js';
import { flagIssueText, listItems, str, UsageError, type CommandArgs } from './command.js';

/** The endpoint inventory's filter flags (`endpoints`, `export --endpoints`); lists may repeat. */
export const ENDPOINT_FILTER_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  text: { type: 'string' },
  risk: { type: 'string', multiple: true },
  spec: { type: 'string', multiple: true },
  flow: { type: 'string', multiple: true },
};

export const ENDPOINT_FILTER_USAGE =
  '[--text T] [--risk High,Medium,Low] [--spec shadow,zombie,documented] [--flow F]';

/** --text, --risk, --spec and --flow (lists by commas or repeats) as the inventory's filters. */
export function endpointFiltersFromFlags(values: CommandArgs['values']): EndpointFilters {
  const list = (name: string): string[] | undefined => {
    const items = listItems(values[name]);
    return items.length > 0 ? items : undefined;
  };
  const raw = {
    text: str(values.text),
    // Levels as typed in any case: "high" is High.
    levels: list('risk')?.map((l) => l.charAt(0).toUpperCase() + l.slice(1).toLowerCase()),
    spec: list('spec')?.map((s) => s.toLowerCase()),
    flows: list('flow'),
  };
  const parsed = endpointFiltersSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const flag = { text: 'text', levels: 'risk', spec: 'spec', flows: 'flow' }[
      String(i.path[0]) as 'text'
    ];
    throw new UsageError(`--${flag ?? String(i.path[0])}: ${flagIssueText(i)}`);
  }
  return parsed.data;
}
