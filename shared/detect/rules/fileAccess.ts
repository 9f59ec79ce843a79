import { C } from '../charMask.js';
import { PARAMS, REQUEST, type Rule } from './rule.js';

const SEP = '[\\\\/]';

/** Path traversal and local/remote file inclusion. */
export const fileAccessRules: readonly Rule[] = [
  {
    id: 'ptrav.dot-dot-slash',
    type: 'ptrav',
    summary: 'two or more ../ (or ..\\) steps, also with doubled separators',
    locations: REQUEST,
    trigger: C.DOTDOT,
    pattern: /\.{2,4}[\\/]{1,3}\.{0,4}[\\/]{0,3}\.{2,4}[\\/]/,
    examples: {
      match: ['../../etc/passwd', '/.//..//.//..//{file}', '..\\..\\boot.ini', '/....//....//x'],
      miss: ['see ../docs', 'wait... / ok', 'v1..2/a'],
    },
  },
  {
    id: 'ptrav.single-step',
    type: 'ptrav',
    summary: 'one ../ step where no path needs one: at a value start, after ./ or //, or as .../',
    locations: REQUEST,
    trigger: C.DOTDOT,
    pattern:
      /^\s{0,3}\.\.[\\/]|(?:^|[\\/=])\.{1,2}[\\/]{1,3}\.\.[\\/]|(?:^|[\\/])\.{3}[\\/]|[\\/]{2}\.\.[\\/]/,
    examples: {
      match: ['../{file}', '/./../{file}', '/.../{file}', '////../x'],
      miss: ['see ../docs', 'wait.../', 'a/b/../c'],
    },
  },
  {
    id: 'ptrav.encoded-dots',
    type: 'ptrav',
    summary: 'dots or separators encoded on purpose (%2e, double, overlong UTF-8, %u, 0x2e)',
    locations: REQUEST,
    basis: 'raw',
    trigger: C.PCT | C.SLASH | C.DOTDOT,
    keywords: ['%', '0x2e', '..0x'],
    pattern:
      /%(?:25){0,2}2e(?:%(?:25){0,2}2e|\.)|\.%(?:25){0,2}2e|%(?:25){0,2}c0%(?:25){0,2}(?:ae|af|2f|5c)|%(?:25){0,2}c1%(?:25){0,2}(?:9c|1c|pc|8s)|%(?:25){0,2}e0%(?:25){0,2}80%(?:25){0,2}a[ef]|%u(?:ff0e|2215|2216|002e|002f|005c)|0x2e0x2e|\.\.0x(?:5c|2f)/,
    examples: {
      match: ['%2e%2e%2fetc', '..%c0%af..%c0%afetc', '%252e%252e/x', '/0x2e0x2e/0x2e0x2e/{file}'],
      miss: ['file%2etxt', 'v2.%20x', '0x2e'],
    },
  },
  {
    id: 'ptrav.dot-run',
    type: 'ptrav',
    summary: 'a run of four or more dots against a separator (trailing-dot / truncation tricks)',
    locations: REQUEST,
    trigger: C.DOTDOT,
    pattern: /[\\/:]\.{4}|\.{4}[\\/]/,
    examples: {
      match: ['/....{file}', 'file:....etc', '..../..../x'],
      miss: ['wait.... ok', 'a...b', '/...'],
    },
  },
  {
    id: 'lfi.unix-file',
    type: 'lfi',
    summary: 'well-known sensitive Unix files (/etc/passwd, /proc/self/…, ~/.ssh, WEB-INF/web.xml)',
    locations: REQUEST,
    trigger: C.SLASH,
    keywords: [
      'etc/',
      'etc\\',
      'proc/',
      'proc\\',
      'var/',
      'var\\',
      'root/',
      'root\\',
      '.ssh',
      'web-inf',
    ],
    pattern: new RegExp(
      `(?:^|[\\\\/=\\s:;|'"])(?:etc${SEP}{1,3}(?:passwd|shadow|group|hosts|issue|motd|crontab|sudoers|hostname|resolv\\.conf|fstab)\\b|proc${SEP}{1,3}(?:self|\\d{1,6})${SEP}{1,3}(?:environ|cmdline|fd|maps|status|cwd|exe)\\b|var${SEP}{1,3}log${SEP}|root${SEP}{1,3}\\.|\\.ssh${SEP}{1,3}(?:id_|authorized_keys)|web-inf${SEP}{1,3}web\\.xml)`,
    ),
    examples: {
      match: ['../../etc/passwd', '/proc/self/environ', 'file=/var/log/apache2/access.log'],
      miss: ['etcetera/passwords', 'the etc passwd', '/hosts/etc'],
    },
  },
  {
    id: 'lfi.windows-file',
    type: 'lfi',
    summary: 'well-known Windows system files and folders (boot.ini, win.ini, system32)',
    locations: REQUEST,
    trigger: C.DOT | C.SLASH,
    keywords: ['.ini', 'autoexec', 'windows', 'winnt', ':/', ':\\'],
    pattern:
      /\b(?:boot\.ini|win\.ini|system\.ini|autoexec\.bat)\b|\bwindows[\\/]{1,3}(?:system32|win\.ini|repair)\b|\bwinnt[\\/]{1,3}|\b[a-z]:[\\/]{1,3}(?:windows|winnt|inetpub)\b/,
    examples: {
      match: ['..\\..\\boot.ini', 'c:\\windows\\system32\\cmd.exe', 'C:/inetpub/wwwroot'],
      miss: ['windows 10 system', 'my boot size', 'winnt'],
    },
  },
  {
    id: 'lfi.stream-wrapper',
    type: 'lfi',
    summary:
      'PHP/Java stream wrappers that read local files or code (php://filter, file://, phar://)',
    locations: PARAMS,
    trigger: C.COLON,
    keywords: [
      'php:',
      'file:',
      'zip:',
      'phar:',
      'expect:',
      'glob:',
      'zlib:',
      'compress.',
      'jar:',
      'netdoc:',
      'data:',
    ],
    // data:;base64, (no media type) is what Netsparker includes to prove remote code inclusion;
    // images and other typed data: URIs stay clean.
    pattern:
      /\b(?:php|file|zip|phar|expect|glob|zlib|compress\.zlib|compress\.bzip2|jar|netdoc):\/\/|\bdata:\/\/|\bdata:(?:text\/plain)?;base64,/,
    examples: {
      match: [
        'php://filter/convert.base64-encode/resource=index',
        'file:///etc/passwd',
        'phar://x',
        'data%3a%3bbase64%2cTlM3NzU0NTYxNDQ2NTc1',
      ],
      miss: ['https://example.com', 'profile://me', 'php is fine', 'data:image/png;base64,iVBOR'],
    },
  },
  {
    id: 'lfi.null-byte',
    type: 'lfi',
    summary: 'a NUL byte after a file-like name (cuts off an appended extension)',
    locations: REQUEST,
    trigger: C.CTRL,
    // eslint-disable-next-line no-control-regex -- a NUL byte is what this rule looks for
    pattern: /[\w/.]\x00(?:\.\w|$)/,
    examples: {
      match: ['../../etc/passwd%00', 'file.php%00.jpg'],
      miss: ['abc', 'a%01b'],
    },
  },
  {
    id: 'rfi.remote-url-query-end',
    type: 'rfi',
    summary:
      'a whole value or name that is a remote URL ending in ? or NUL (cuts off an appended suffix)',
    // Names too: in include.php?http://r87.com/? (Netsparker) the URL is the whole query, which
    // has no '='. Scanners also add the extension a filter wants after the cut
    // (fit.txt%3F.jpg, xss.html%3f%2500.jpg); what remains of the value is the remote file.
    locations: PARAMS,
    parts: ['name', 'value'],
    trigger: C.COLON,
    keywords: ['://'],
    pattern:
      // eslint-disable-next-line no-control-regex -- a trailing NUL cuts off the appended suffix
      /^\s{0,3}(?:https?|ftps?|smb):\/\/[^\s?]{1,300}(?:\?\x00?|\x00)(?:\.[a-z0-9]{1,10})?\s{0,3}$/,
    examples: {
      match: [
        'http://evil.example/shell.txt?',
        'ftp://x.example/a.php%00',
        'Http://testasp.vulnweb.com/t/fit.txt%3F.jpg',
        'http://testasp.vulnweb.com/t/xss.html%3f%2500.jpg',
      ],
      miss: [
        'https://example.com/?q=1',
        'http://example.com/page',
        'https://example.com/a.jpg?v=2',
        'https://example.com/?.jpg&x',
      ],
    },
  },
  {
    id: 'rfi.include-param-url',
    type: 'rfi',
    summary: 'a file-ish parameter (page, file, include, template…) holding a remote script URL',
    locations: PARAMS,
    trigger: C.COLON,
    keywords: ['://'],
    paramName:
      /^(?:file|filename|page|include|inc|path|template|tpl|doc|document|folder|root|dir|lang|language|module|mod|conf|config|show|view|content|layout|load|read|require|style|theme|skin|pg|pagina|pdf|mosconfig_absolute_path)$/,
    pattern:
      /^\s{0,3}(?:https?|ftps?|smb):\/\/[^\s]{1,300}?\.(?:txt|php\d?|phtml|inc|sh|pl|py|asp|aspx|jsp|cgi|gif|jpg|png)\b/,
    examples: {
      param: 'page',
      match: ['http://evil.example/c99.txt', 'Http://testasp.vulnweb.com/t/fit.txt'],
      miss: ['index', 'about.php', 'https://example.com/'],
    },
  },
];
