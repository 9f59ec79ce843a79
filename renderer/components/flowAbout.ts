import { en, type MessageKey } from '../i18n/en';

/** The UI's words for each built-in flow rule's description, by flow. */
const ABOUT: Readonly<Record<string, MessageKey>> = {
  'AI/LLM': 'help.flows.about.ai',
  'Acc create': 'help.flows.about.accCreate',
  'Acc mgmt': 'help.flows.about.accMgmt',
  Admin: 'help.flows.about.admin',
  Auth: 'help.flows.about.auth',
  Billing: 'help.flows.about.billing',
  'SMS GW': 'help.flows.about.sms',
};

/**
 * The key of a flow rule's description in the UI's language, when the rules file describes it
 * in the words translated (the built-in file); null for any other description, shown as given.
 */
export function flowAboutKey(flow: string, description: string): MessageKey | null {
  const key = Object.hasOwn(ABOUT, flow) ? ABOUT[flow]! : null;
  return key !== null && en[key] === description ? key : null;
}
