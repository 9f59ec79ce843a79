import { ANY, C } from '../charMask.js';
import { REQUEST, REQUEST_AND_UA, type Rule } from './rule.js';

const EVENTS =
  'error|load|click|dblclick|mouse[a-z]{2,8}|key(?:up|down|press)|focus(?:in|out)?|blur|change|submit|reset|select|input|scroll|resize|wheel|copy|cut|paste|drag[a-z]{0,5}|drop|toggle|begin|end|start|finish|repeat|animation[a-z]{3,9}|transition[a-z]{3,6}|pointer[a-z]{2,8}|touch[a-z]{3,6}|play|pause|ended|seek[a-z]{2,3}|show|hashchange|message|popstate|pageshow|unload|beforeunload|readystatechange|abort|contextmenu|auxclick|search|invalid|loadstart|loadend|progress|timeupdate|volumechange|canplay|afterprint|beforeprint|storage';

/** Cross-site scripting: markup or script smuggled into a value that a page may echo. */
export const xssRules: readonly Rule[] = [
  {
    id: 'xss.script-tag',
    type: 'xss',
    summary: 'an opening or closing <script> tag',
    locations: REQUEST_AND_UA,
    trigger: C.ANGLE,
    pattern: /<\/?script[\s>/]/,
    examples: {
      match: ['<script>alert(1)</script>', '<SCRIPT SRC=//x.js>', 'x</script ><script >'],
      miss: ['javascript is fun', 'description <b>scripted</b>', 'a < script b'],
    },
  },
  {
    id: 'xss.event-handler',
    type: 'xss',
    summary: 'an on<event>= attribute inside a tag or after a quote that breaks out of one',
    locations: REQUEST_AND_UA,
    trigger: C.ANGLE | C.QUOTE,
    // `<%` opens a tag for old IE parsers (Acunetix: <% contenteditable onresize=…>).
    pattern: new RegExp(
      `(?:<[a-z!/%][^>]{0,300}?[\\s/"'\`]|['"\`]\\s{0,10}/?\\s{0,5})on(?:${EVENTS})\\s{0,5}=`,
    ),
    examples: {
      match: [
        '<img src=x onerror=alert(1)>',
        '" onclick=alert(xss) ">',
        "<body/onload='x'>",
        '\'onmouseover="a()"',
        'ul.menu\\u0022onmouseover=kzsy(9580)\\u0022',
        'login<%25%20contenteditable%20onresize=Uqla(9827)>',
      ],
      miss: [
        'dont=1',
        "'once upon a time'",
        '<b>bold</b> onload later',
        'online=true',
        'the onmouseover event fires',
        '"onmouseover" is an attribute',
        '<%= total %> online=1',
      ],
    },
  },
  {
    // A \u0022 (or \u0027) escape whose backslash the log dropped, right before an event
    // attribute: Acunetix's ul.menu\u0022onmouseover=kzsy(9580)\u0022 is logged as
    // ul.menuu0022onmouseover=… With the backslash, decoding makes it a quote and
    // xss.event-handler reads it.
    id: 'xss.bare-escape-handler',
    type: 'xss',
    summary:
      'an on<event>= attribute right after a \\u0022 or \\u0027 escape that lost its backslash',
    locations: REQUEST_AND_UA,
    trigger: C.EQ,
    keywords: ['u0022', 'u0027'],
    pattern: new RegExp(`u00(?:22|27)\\s{0,10}/?\\s{0,5}on(?:${EVENTS})\\s{0,5}=`),
    examples: {
      match: ['ul.menuu0022onmouseover=kzsy(9580)u0022', 'xu0027 onclick=a()'],
      miss: ['u0022 is a quote, onclick=a()', 'onmouseover=x', 'u0022online=1'],
    },
  },
  {
    id: 'xss.js-uri',
    type: 'xss',
    summary: 'a javascript: or vbscript: URI, also with control characters inside the word',
    locations: REQUEST_AND_UA,
    trigger: C.COLON,
    keywords: ['script', '\t', '\r', '\n', '\x00'],
    pattern:
      /(?:j[\t\r\n\0]{0,3}a[\t\r\n\0]{0,3}v[\t\r\n\0]{0,3}a|v[\t\r\n\0]{0,3}b|l[\t\r\n\0]{0,3}i[\t\r\n\0]{0,3}v[\t\r\n\0]{0,3}e)[\t\r\n\0]{0,3}s[\t\r\n\0]{0,3}c[\t\r\n\0]{0,3}r[\t\r\n\0]{0,3}i[\t\r\n\0]{0,3}p[\t\r\n\0]{0,3}t\s{0,3}:/,
    examples: {
      match: ['javascript:alert(1)', 'jav&#x09;ascript:alert(1)', 'VBScript:msgbox'],
      miss: ['I like java script: it is fun', 'javascript', 'description: script'],
    },
  },
  {
    id: 'xss.dangerous-tag',
    type: 'xss',
    summary: 'a tag that loads or runs content (iframe, object, embed, svg, meta, base, style…)',
    locations: REQUEST_AND_UA,
    trigger: C.ANGLE,
    pattern:
      /<\s{0,5}(?:iframe|frame|frameset|object|embed|applet|svg|math|meta|base|xss|isindex|bgsound|layer|ilayer|xml|import|marquee|style|link)[\s>/]/,
    examples: {
      match: ['<iframe src=//evil>', '<svg/onload=x>', '<meta http-equiv="refresh">', '<STYLE>'],
      miss: ['<b>menu</b>', 'iframe sizes', '<p>linked</p>'],
    },
  },
  {
    id: 'xss.tag-remote-src',
    type: 'xss',
    summary: 'a tag attribute that pulls a remote or data: resource, in a parameter or the path',
    // Not user agents; a path carries it when a scanner injects into path segments
    // (/category<img sRc='http://attacker-9478/log.php?).
    locations: REQUEST,
    trigger: C.ANGLE,
    pattern:
      /<[a-z][^>]{0,300}?\b(?:src|href|action|formaction|background|dynsrc|lowsrc|datasrc|data)\s{0,5}=\s{0,5}['"]?\s{0,5}(?:https?:|\/\/|data:)/,
    examples: {
      match: [
        '<script id=xss src=http://ha.ckers.org/xss.js?<b>',
        '<a href="data:text/html,x">',
        "category<img%20sRc='http://attacker-9478/log.php%3f",
        '<a%20HrEF=http://www.vulnweb.com></a>',
      ],
      miss: ['<b>src=http://x</b>x', 'src=http://example.com', '<img src=/logo.png>'],
    },
  },
  {
    id: 'xss.tag-breakout',
    type: 'xss',
    summary: 'a quote that closes an attribute and a tag, then opens a new tag',
    locations: REQUEST_AND_UA,
    trigger: C.QUOTE,
    pattern: /['"]\s{0,5}\/?>\s{0,5}<[a-z!/]/,
    examples: {
      match: ['"><img src=x>', "'><svg>", '"/><b'],
      miss: ['"quoted" <b>', "it's > <3"],
    },
  },
  {
    id: 'xss.js-sink',
    type: 'xss',
    summary: 'script calls and DOM sinks: alert(, eval(, document.cookie, String.fromCharCode…',
    locations: REQUEST_AND_UA,
    trigger: ANY,
    keywords: [
      'alert',
      'prompt',
      'confirm',
      'eval(',
      'document',
      'window',
      'fromcharcode',
      'innerhtml',
      'expression(',
      'expre/*',
      '@import',
      '-moz-binding',
      'srcdoc',
      'behavio',
      'binding',
      'datasrc',
      'datafld',
      'dataformatas',
    ],
    pattern:
      /\b(?:alert|prompt|confirm)(?:\(|`)|\beval\(|\bdocument\s{0,3}\.\s{0,3}(?:cookie|domain|write|location)\b|\bwindow\s{0,3}\.\s{0,3}location\b|\bfromcharcode\s{0,3}\(|\.innerhtml\s{0,3}=|\bexpre(?:\/\*[^*]{0,40}\*\/)?ssion\(|@import\b|-moz-binding\b|\bsrcdoc\s{0,3}=/,
    examples: {
      match: [
        'a=alert(1)',
        'eval(a+b)',
        'document.cookie',
        'String.fromCharCode(88,83)',
        'ul.menu"sTYLe=\'acu:Expre/**/SSion(kzsy(9310))\'bad="',
      ],
      miss: [
        'confirm (yes/no)',
        'prompt delivery',
        'the document cookie policy',
        'regular expression (regex)',
      ],
    },
  },
  {
    id: 'xss.data-uri-html',
    type: 'xss',
    summary: 'a data: URI carrying HTML, script or SVG',
    locations: REQUEST_AND_UA,
    trigger: C.COLON,
    keywords: ['data:'],
    pattern:
      /\bdata:\s{0,3}(?:text\/html|application\/(?:x-)?(?:xhtml|javascript|ecmascript)|image\/svg[+ ]xml)/,
    examples: {
      match: ['data:text/html;base64,PHNjcmlwdD4=', 'data:image/svg%2Bxml,<svg>'],
      miss: ['data:image/png;base64,iVBOR', 'metadata: text/html'],
    },
  },
];
