import { ANY, C } from '../charMask.js';
import { REQUEST_AND_UA, type Rule } from './rule.js';

/** SQL injection: query structure smuggled into a value. */
export const sqliRules: readonly Rule[] = [
  {
    id: 'sqli.union-select',
    type: 'sqli',
    summary: 'UNION [ALL|DISTINCT] SELECT, with spaces, comments or parentheses between',
    locations: REQUEST_AND_UA,
    trigger: C.SPACE | C.PAREN | C.SLASH | C.STAR | C.CTRL,
    keywords: ['union'],
    pattern:
      /\bunion[\s(/*]{1,20}select\b|\bunion[\s(/*]{1,20}(?:all|distinct)[\s(/*]{1,20}select\b/,
    examples: {
      match: [
        '-8143) union all select 3014--',
        '1 UNION SELECT null,null',
        '1/**/union/**/select/**/1',
      ],
      miss: ['union station to select street', 'Union Square', 'select a union rep'],
    },
  },
  {
    id: 'sqli.tautology',
    type: 'sqli',
    summary: 'a closing quote or parenthesis, then OR/AND and a comparison',
    locations: REQUEST_AND_UA,
    trigger: C.QUOTE | C.PAREN,
    pattern:
      /['"`)]\s{0,10}(?:or|and|xor|\|\||&&)[\s('"]{1,10}\w{1,30}['")]{0,3}\s{0,5}(?:=|<>|!=|<|>|\blike\b|\bis\b|\bin\b|\bbetween\b|\brlike\b|\bregexp\b)/,
    examples: {
      match: [
        "-6298' or 4724=4876",
        "1' and 1541=6868#",
        "' or '1'='1",
        "'or'a'='a",
        '1"))) and 7533=7533 and ((("alvd" like "alvd',
        "x') or ('a' like 'a",
      ],
      miss: ["O'Reilly and Sons", 'it\'s "big" and bold', "Rock 'n' roll or jazz"],
    },
  },
  {
    id: 'sqli.numeric-tautology',
    type: 'sqli',
    summary: 'a value that is only a number, then OR/AND and a numeric comparison',
    locations: REQUEST_AND_UA,
    trigger: C.EQ | C.ANGLE | C.BANG,
    pattern:
      /^[\s\d'"()-]{0,20}(?:or|and|xor)\s{1,10}\(?\d{1,10}\)?\s{0,5}(?:=|<>|!=|<|>)\s{0,5}\(?\d/,
    examples: {
      match: ['1 or 1=1', '-3982)) or 6872=6872 and ((6331=6331', '1) and (2342=3620)*3620'],
      miss: ['10 or more', '1 and 2', 'rooms=2 or 3'],
    },
  },
  {
    // Netsparker's boolean probes open a string instead of comparing numbers (1 OR X='ss,
    // 1 AND 'NS='ss): the value is a number, then OR/AND, a name, '=' and a quote that the
    // query's own closing quote will pair with. Text with that shape ("5 and size='l'") is
    // not something people type into a parameter.
    id: 'sqli.numeric-string-compare',
    type: 'sqli',
    summary: 'a value that is only a number, then OR/AND and a name compared with an opened string',
    locations: REQUEST_AND_UA,
    trigger: C.QUOTE,
    pattern:
      /^[\s\d'"()-]{0,20}[\d)]\s{1,10}(?:or|and|xor)\s{1,10}'?[a-z_]\w{0,29}'?\s{0,5}=\s{0,5}'/,
    examples: {
      match: ["1 OR X='ss", '1%20AND%20%27NS%3d%27ss', "-2) or name='x"],
      miss: ["10 or more 'quotes'", "O'Reilly and x='y'", '1 and x=2', "size='l' and 1"],
    },
  },
  {
    // CSIC 2010's anomalous set appends AND 1=1 straight onto a value ("Vaciar carritoAND 1=1",
    // "s927r%ED9i0oAND 1=1"): no quote and no space before the keyword, so the rules above do
    // not see it. Flagged: OR/AND glued to a letter or digit, then n=n with the same number on
    // both sides, ending the value (or followed by a comment). Words that end in "and" or "or"
    // are followed by a tautology that closes the value only in injected text.
    id: 'sqli.glued-tautology',
    type: 'sqli',
    summary: 'OR/AND glued to the end of a word, then n=n with equal sides ending the value',
    locations: REQUEST_AND_UA,
    trigger: C.EQ,
    keywords: ['and', 'or'],
    pattern:
      /[a-z\d\u00c0-\uffff](?:and|or)\s{1,10}(\d{1,10})\s{0,5}=\s{0,5}\1\s{0,5}(?:$|--|#|\/\*|;)/,
    examples: {
      match: [
        'Vaciar carritoAND 1=1',
        'Vaciar+carritoAND+1%3D1',
        's927r%ED9i0oAND+1%3D1',
        'Credenciales+incorrectasAND+1%3D1',
        'colorOR 2=2--',
      ],
      miss: [
        'Terms AND Conditions',
        'rock and roll',
        'brandAND 1=2',
        'floor 1=1 and more',
        'android 2=2x',
      ],
    },
  },
  {
    // Scanners (Acunetix, Netsparker…) probe boolean injection with comparisons whose sides are
    // sums, differences or products (2+794-794-1=0+0+0+1, 3*2<(0+5)), which the number=number
    // rules above do not read. What is flagged is the shape an injection leaves: the value (or
    // a path segment) ends in a quote or is only a number, then OR/AND, then the arithmetic
    // comparison. A sum written in text ("1+1=2 and 2*2=4", "chapter 3 and 4-5=…") has no such
    // start and is left alone; a value that is only "2 and 2*2=4" is flagged.
    id: 'sqli.arithmetic-tautology',
    type: 'sqli',
    summary:
      'a closing quote, or a value that is only a number, then OR/AND and a comparison of arithmetic expressions',
    locations: REQUEST_AND_UA,
    trigger: C.EQ | C.ANGLE | C.BANG,
    keywords: ['or', 'and', '||', '&&'],
    pattern:
      /(?:['"`)]|(?:^|\/)[\s\d()-]{0,20}[\d)])\s{0,10}(?:(?:or|and|xor)[\s(]{1,10}|(?:\|\||&&)[\s(]{0,10})(?:-?\d[\d\s()]{0,20}[-+*/%][\d\s()+*/%-]{0,40}(?:[<>!]?=|<>|<|>)[\s(]{0,5}-?\d|-?\d{1,10}\)?\s{0,5}(?:[<>!]?=|<>|<|>)[\s(]{0,5}-?\d[\d()]{0,20}\s{0,3}[-+*/%]\s{0,3}\(?\d)/,
    examples: {
      match: [
        "-7' OR 3%2B512-512-1=0%2B0%2B0%2B1 -- ",
        '-7 OR 3%2B512-512-1=0%2B0%2B0%2B1',
        '-5" or 4*2<(0%2B6%2B311-311) -- ',
        "news' AND 3*4*7=12*7 AND 'abCd'='abCd",
        "-3' or 2%2B17-17-1=0%2B0%2B0%2B1 or 'Zq81'='",
        '9 or 5=2%2B3#',
        "x'||2*3>=6",
        '1) and (7-2)>4',
      ],
      miss: [
        'rock and roll',
        '1%2B1=2 and 2*2=4',
        'chapter 3 and 4-5=review',
        '5 or 6 = 11',
        "it's 2 and 2%2B2=4",
        '1 or 1=1-- ',
      ],
    },
  },
  {
    id: 'sqli.comment-terminator',
    type: 'sqli',
    summary: 'a closing quote followed by a SQL comment that cuts off the rest of the query',
    locations: REQUEST_AND_UA,
    trigger: C.QUOTE,
    pattern: /['"`]\s{0,10}\){0,5}\s{0,5}(?:--(?:\s|$|-)|#(?:\s|$)|\/\*)/,
    examples: {
      match: ["admin'--", "admin' #", "x')/*", "1')) -- x"],
      miss: ["color '#fff'", '"--quiet"', "it's -- fine"],
    },
  },
  {
    id: 'sqli.stacked-query',
    type: 'sqli',
    summary: 'a semicolon followed by a second SQL statement',
    locations: REQUEST_AND_UA,
    trigger: C.SEP,
    pattern:
      /;\s{0,10}(?:select\s{1,10}(?:\*|null\b|\d|count\s{0,3}\(|sleep\s{0,3}\(|pg_sleep|dbms_|@@|case\b|[\w.$]{1,40}\s{0,3}(?:,|from\b))|(?:drop|create|alter|truncate)\s{1,10}(?:table|database|schema|user|procedure|function|view)\b|(?:exec|execute)\s{1,10}(?:xp_|sp_|master\.|\()|waitfor\s{1,10}(?:delay|time)\b|shutdown\s{0,5}(?:--|#|;|$)|declare\s{1,10}@|insert\s{1,10}into\b|delete\s{1,10}from\b|update\s{1,10}[\w.$]{1,40}\s{1,10}set\b)/,
    examples: {
      match: [
        "'; DROP TABLE usuarios; SELECT * FROM datos WHERE nombre LIKE '%",
        "1;waitfor delay '0:0:5'--",
        '1; exec xp_cmdshell',
        "x'; shutdown --",
      ],
      miss: ['bread; select the freshest', 'first; then update the page', 'a;b;c'],
    },
  },
  {
    id: 'sqli.time-blind',
    type: 'sqli',
    summary: 'time-delay functions used to probe blind injection',
    locations: REQUEST_AND_UA,
    trigger: C.PAREN | C.QUOTE,
    pattern:
      /\b(?:sleep|pg_sleep|benchmark)\(\s{0,3}\d|\bwaitfor\s{1,10}(?:delay|time)\s{0,5}['"]|\bdbms_pipe\.receive_message\s{0,3}\(|\bdbms_lock\.sleep\s{0,3}\(|\brandomblob\s{0,3}\(\s{0,3}\d|\bgenerate_series\s{0,3}\(\s{0,3}\d/,
    examples: {
      match: ['1" or sleep(5)', "1%');waitfor delay '0:0:5'--", 'elt(8192=8192,sleep(5))'],
      miss: ['sleep (8 hours)', 'waitfor it', 'benchmark results'],
    },
  },
  {
    id: 'sqli.db-internals',
    type: 'sqli',
    summary: 'names of catalog tables and functions that only injected SQL asks for',
    locations: REQUEST_AND_UA,
    trigger: ANY,
    keywords: [
      'information_schema',
      'sysobjects',
      'syscolumns',
      'sysibm.',
      'rdb$',
      'pg_catalog',
      'sqlite_master',
      'mysql.user',
      'dba_users',
      'all_tables',
      'xp_cmdshell',
      'sp_executesql',
      'utl_',
      'ctxsys.',
      'load_file',
      'outfile',
      'dumpfile',
      'extractvalue',
      'updatexml',
      'group_concat',
      'concat_ws',
      'make_set',
      'elt(',
      'regexp_substring',
      'char(',
      'chr(',
      'cast(',
      '@@',
    ],
    pattern:
      /\b(?:information_schema\b|sysobjects\b|syscolumns\b|sysibm\.|rdb\$|pg_catalog\b|sqlite_master\b|mysql\.user\b|dba_users\b|all_tables\b|xp_cmdshell\b|sp_executesql\b|utl_inaddr\.|utl_http\.|ctxsys\.|load_file\s{0,3}\(|into\s{1,5}(?:out|dump)file\b|extractvalue\s{0,3}\(|updatexml\s{0,3}\(|group_concat\s{0,3}\(|concat_ws\s{0,3}\(|make_set\s{0,3}\(|elt\(\s{0,3}\d|regexp_substring\s{0,3}\(|(?:char|chr)\(\s{0,3}\d{1,3}\s{0,3}\)\s{0,3}(?:\|\||\+|,)|cast\([^()]{0,80}\bas\s{1,5}(?:int|char|varchar|numeric|text|signed)\b)|@@(?:version|datadir|hostname|servername)\b/,
    examples: {
      match: [
        '1 and 1=(select count(*) from information_schema.tables)',
        "1%' and 9254=(select count(*) from rdb$fields as t1)",
        '1 or chr(112)||chr(65)',
        'select @@version',
      ],
      miss: ['information about schemas', 'cast of characters', 'the char (fish) dish'],
    },
  },
  {
    id: 'sqli.subquery',
    type: 'sqli',
    summary: 'a SELECT opened after a quote or parenthesis, or with SQL-only shapes',
    locations: REQUEST_AND_UA,
    trigger: C.PAREN | C.QUOTE | C.SPACE | C.STAR | C.CTRL,
    keywords: ['select'],
    pattern:
      /[('"]\s{0,10}select\s{1,10}(?:\*|null\b|\d|count\s{0,3}\(|case\b|\(|[\w.$@]{1,40}\s{0,3}(?:,|from\b|where\b))|\bselect\s{1,5}(?:\*\s{0,5}from\b|null\s{0,3},|count\s{0,3}\(\s{0,3}\*\s{0,3}\)|top\s{1,3}\d)/,
    examples: {
      match: [
        '1 or (select * from (select(sleep(5)))ydpu)-- paxv',
        "1'+(select nsri where 1202=1202",
        'SELECT * FROM users',
      ],
      miss: ['Please select a seat from the list', '(select one)', 'select all items'],
    },
  },
  {
    id: 'sqli.where-tautology',
    type: 'sqli',
    summary: 'WHERE followed by a comparison of two numbers (WHERE 6897=6897)',
    locations: REQUEST_AND_UA,
    trigger: C.EQ | C.ANGLE | C.BANG,
    keywords: ['where'],
    pattern: /\bwhere\s{1,10}\(?\d{1,10}\)?\s{0,5}(?:=|<>|!=|<|>)\s{0,5}\(?\d/,
    examples: {
      match: ["1' where 8584=8584 order by 1#", '-2604)) as sekb where 6897=6897 or 1000=7683'],
      miss: ['where 5 people live', 'where x=1', 'somewhere 1=1'],
    },
  },
  {
    id: 'sqli.conditional-probe',
    type: 'sqli',
    summary: 'IF/IIF/CASE WHEN on a comparison of two numbers (boolean and error-based probing)',
    locations: REQUEST_AND_UA,
    trigger: C.PAREN | C.SPACE,
    keywords: ['if(', 'case'],
    pattern:
      /\bi?if\(\s{0,3}\d{1,10}\s{0,3}=\s{0,3}\d{1,10}\s{0,3}[,)]|\bcase\s{1,5}when\s{1,5}\(?\s{0,3}\d{1,10}\s{0,3}=\s{0,3}\d/,
    examples: {
      match: [
        "1%';if(6842=5446) select 6842 else drop function vjfq--",
        "1',iif(6625=6625,1,1/0)",
        'case when 1=1 then 1 end',
      ],
      miss: ['if (you can) come', 'in case when needed', 'gif(2)'],
    },
  },
  {
    id: 'sqli.order-by-probe',
    type: 'sqli',
    summary: 'ORDER/GROUP BY <n> after a quote: column-count probing',
    locations: REQUEST_AND_UA,
    trigger: C.QUOTE | C.PAREN | C.STAR,
    pattern:
      /['")]\s{0,10}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\s{0,5}(?:--|#|\/\*|$)|^[\s\d'"()-]{0,20}[\d'")]\s{1,10}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\s{0,5}(?:--|#|\/\*)/,
    examples: {
      match: ["1' order by 5--", "x') group by 3#", '-1432 order by 1#'],
      miss: ["'name' order by date", 'order by 5'],
    },
  },
];
