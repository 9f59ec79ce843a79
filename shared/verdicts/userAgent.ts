/**
 * A coarse class of a user agent for the bad-user-agent detector. Scanners announce
 * themselves far more often than one would think; HTTP libraries and empty agents are what
 * scripts send when nobody bothered to disguise them.
 */
export type UaClass = 'browser' | 'scanner' | 'script' | 'empty' | 'declared_bot' | 'other';

const SCANNERS =
  /nikto|sqlmap|nmap|masscan|zgrab|gobuster|dirbuster|\bdirb\b|feroxbuster|wfuzz|ffuf|nuclei|acunetix|nessus|openvas|burp|owasp[ _-]?zap|wpscan|hydra|whatweb|skipfish|w3af|arachni|commix|netsparker|appscan|qualys|jaeles|xray|havij|zmeu|morfeus/i;
const SCRIPTS =
  /^(curl|wget|python-requests|python-httpx|python-urllib|python\/|aiohttp|go-http-client|java\/|apache-httpclient|libwww-perl|lwp::|httpie|node-fetch|axios|undici|got\b|ruby|php\/|powershell|scrapy|okhttp\/[0-2]\.)/i;
/**
 * Agents that say they are programs: crawlers, monitors, feed readers (which fetch a feed on a
 * timer and say so: "Feedfetcher", "Tiny Tiny RSS", "22 subscribers") and any agent giving a
 * contact address after a "+" (`+http://…`), the convention of robots that want to be known.
 */
const DECLARED_BOTS =
  /bot\b|bot\/|crawler|spider|slurp|kube-probe|prometheus|pingdom|uptime|datadog|newrelic|elb-healthchecker|googlehc|feed|\brss\b|\d+ (?:subscribers?|readers?)\b|\+https?:\/\//i;

export function classifyUserAgent(ua: string | null): UaClass {
  const s = ua?.trim() ?? '';
  if (s === '' || s === '-') return 'empty';
  if (SCANNERS.test(s)) return 'scanner';
  if (SCRIPTS.test(s)) return 'script';
  if (DECLARED_BOTS.test(s)) return 'declared_bot';
  if (/^mozilla\/5\.0 \(/i.test(s)) return 'browser';
  return 'other';
}
