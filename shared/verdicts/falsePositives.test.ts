import { describe, expect, it } from 'vitest';
import { computeBaselines } from './baseline.js';
import { combineVerdict } from './combine.js';
import { capDeclaredBot, capVerdict, uncap, withAttacks } from './declaredBot.js';
import { evaluateSession } from './evaluate.js';
import type { SessionFeatures } from './features.js';
import { isStaticAssetTemplate } from './staticAssets.js';
import { defaultVerdictThresholds } from './thresholds.js';
import type { DetectorName, SessionVerdict, VerdictReason } from './types.js';
import { classifyUserAgent, type UaClass } from './userAgent.js';
import {
  features,
  irregular,
  normalCapture,
  req,
  T0,
  type TestRequest,
} from './verdictTestSessions.js';

/**
 * False positives found on real logs: a shop's (thumbnails by id, search crawlers, catalogue
 * pages loading their pictures) and a blog's (feed readers and agents polling one URL).
 */

const t = defaultVerdictThresholds();

function fired(f: SessionFeatures): DetectorName[] {
  const b = computeBaselines([...normalCapture, f], t);
  return evaluateSession(f, b, t).map((r) => r.detector);
}

function verdict(f: SessionFeatures): SessionVerdict {
  const b = computeBaselines([...normalCapture, f], t);
  return capDeclaredBot(combineVerdict(evaluateSession(f, b, t)), f);
}

describe('static assets', () => {
  it.each([
    ['/image/{id}/productModel/200x200', true],
    ['/image/{id}', true],
    ['/static/css/font_awesome/fonts/{token}', true],
    ['/{token}.png', true],
    ['/p/{id}.JPG', true],
    ['/assets/app.{token}.js', true],
    ['/api/v1/users/{id}', false],
    ['/product/{id}/{id}/{name}', false],
    ['/files/{id}.pdf', false],
    ['/api/imageprocessing/{id}', false],
    // A placeholder never names the folder, whatever its value looked like.
    ['/{image}/{id}', false],
  ])('%s → %s', (template, asset) => {
    expect(isStaticAssetTemplate(template)).toBe(asset);
  });

  it('thumbnails by id are not object enumeration', () => {
    const thumbs = (asset: boolean) =>
      features(
        irregular(120, (k) => ({
          endpoint: 9,
          templated: true,
          asset,
          path: `/image/${1000 + k}/productModel/200x200`,
        })),
      );
    expect(fired(thumbs(false))).toContain('bola');
    expect(thumbs(true).maxIdsPerEndpoint).toBe(0);
    expect(fired(thumbs(true))).not.toContain('bola');
  });

  it('query values of a static file are not enumerated values', () => {
    const sized = features(
      irregular(60, (k) => ({ endpoint: 9, asset: true, path: '/thumb', query: `id=${k}&w=200` })),
    );
    expect(sized.maxValuesPerParam).toBe(0);
    expect(fired(sized)).not.toContain('enum');
  });

  it('scraping counts pages, not the pictures a browser loads with them', () => {
    // A shopper at one request a second: 40 pages and 240 thumbnails.
    const shopper = features(
      Array.from({ length: 280 }, (_, k) =>
        req({
          tsUs: T0 + k * 1e6 + (k % 3) * 3e5,
          ...(k % 7 === 0
            ? { endpoint: 3, path: `/m/browse/page-${k}` }
            : { endpoint: 9, templated: true, asset: true, path: `/image/${k}/brand` }),
        }),
      ),
    );
    expect(shopper.distinctResources).toBe(280);
    expect(shopper.distinctPages).toBe(40);
    expect(fired(shopper)).not.toContain('scraping');
  });

  it('the pictures a catalogue page loads are not a request rate', () => {
    // A person opens 12 catalogue pages within a minute; the browser loads 140 thumbnails with
    // them (a shop's log: 158 requests in 64 s, 13 of them pages, "148 per minute").
    const browsing = features(
      Array.from({ length: 152 }, (_, k) =>
        req({
          tsUs: T0 + k * 3.9e5,
          ...(k % 13 === 0
            ? { endpoint: 3, path: `/m/browse/page-${k}` }
            : {
                endpoint: 9,
                templated: true,
                asset: true,
                path: `/image/${k}/productModel/150x150`,
              }),
        }),
      ),
    );
    expect(browsing.ratePerMinute).toBeGreaterThanOrEqual(t.rateMinPerMinute);
    expect(browsing.pageRatePerMinute).toBe(12);
    expect(fired(browsing)).not.toContain('request_rate');
  });
});

describe('declared crawlers', () => {
  const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
  const BINGBOT_MOBILE =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 7_0 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 Mobile/11A465 Safari/9537.53 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

  it.each([GOOGLEBOT, BINGBOT_MOBILE, 'Googlebot-Image/1.0'])('%s is a declared bot', (ua) => {
    expect(classifyUserAgent(ua)).toBe('declared_bot');
  });

  /** A crawler walking 80 product pages by id: bola, strong. */
  const crawl = (status: (k: number) => number = () => 200) =>
    irregular(80, (k) => ({
      endpoint: 9,
      templated: true,
      status: status(k),
      path: `/product/${5000 + k}`,
    }));

  it('a crawler walking the catalogue is suspicious scraping, not malicious', () => {
    const asBrowser = verdict(features(crawl(), 'browser'));
    expect(asBrowser).toMatchObject({ level: 'malicious', botType: 'api_abuse' });
    expect(asBrowser.uncapped).toBeUndefined();
    const v = verdict(features(crawl(), 'declared_bot'));
    expect(v).toMatchObject({
      level: 'suspicious',
      botType: 'scraping',
      uncapped: { level: 'malicious', botType: 'api_abuse', confidence: 0.75 },
    });
    // The reasons stay: the investigator sees what it did.
    expect(v.reasons.map((r) => r.detector)).toEqual(['bola']);
    // Signature detections in its requests give it back its verdict.
    expect(uncap(v)).toEqual(asBrowser);
    expect(withAttacks(v, true)).toEqual(asBrowser);
    expect(withAttacks(v, false)).toBe(v);
    // What is stored of it (the verdict before the cap) gives the capped verdict back.
    expect(capVerdict({ ...v.uncapped!, reasons: v.reasons })).toEqual(v);
  });

  it('a crawler agent that mostly gets errors is not capped', () => {
    const v = verdict(
      features(
        crawl((k) => (k % 2 === 0 ? 404 : 200)),
        'declared_bot',
      ),
    );
    expect(v.level).toBe('malicious');
    expect(v.uncapped).toBeUndefined();
  });

  it('a crawler agent that tries passwords is not capped', () => {
    // After the crawl (which ends within an hour), eleven failed logins and one that works.
    const logins = irregular(12, (k) => ({
      tsUs: T0 + 3_600e6 + k * 7e6,
      auth: true,
      status: k < 11 ? 401 : 200,
      user: 7,
      endpoint: 100,
      path: '/login',
    }));
    const v = verdict(features([...crawl(), ...logins], 'declared_bot'));
    expect(v).toMatchObject({ level: 'malicious', botType: 'account_takeover' });
  });
});

describe('automation alone', () => {
  /** One endpoint every 33 s from one address: a health check or an uptime probe. */
  const probe = (uaClass: UaClass, over: (k: number) => TestRequest = () => ({})) =>
    features(
      Array.from({ length: 72 }, (_, k) =>
        req({ tsUs: T0 + k * 33e6, path: '/site/ping', respBytes: 4, ...over(k) }),
      ),
      uaClass,
    );

  it('is suspicious, not malicious: a health check with no agent', () => {
    const v = verdict(probe('empty'));
    // Regular, repetitive, no agent: all three fire, none says abuse.
    expect(v.reasons.map((r) => r.detector).sort()).toEqual([
      'bad_user_agent',
      'low_uniqueness',
      'regular_intervals',
    ]);
    expect(v.level).toBe('suspicious');
  });

  it('is malicious beside a reason that says abuse, or with a scanner’s agent', () => {
    const scanner = verdict(probe('scanner'));
    expect(scanner.reasons.map((r) => r.detector)).toContain('bad_user_agent');
    expect(scanner.level).toBe('malicious');
    // Three weak reasons, the third saying what the client does: malicious.
    const weak = (detector: DetectorName, detail?: string): VerdictReason => ({
      detector,
      value: 1,
      threshold: 1,
      baseline: null,
      direction: 'above',
      ratio: null,
      strong: false,
      ...(detail === undefined ? {} : { detail }),
    });
    const automation = [weak('regular_intervals'), weak('low_uniqueness')];
    expect(combineVerdict([...automation, weak('bad_user_agent', 'empty')]).level).toBe(
      'suspicious',
    );
    expect(combineVerdict([...automation, weak('data_volume')]).level).toBe('malicious');
    expect(combineVerdict([...automation, weak('bad_user_agent', 'scanner')]).level).toBe(
      'malicious',
    );
  });
});

describe('polling clients that say what they are', () => {
  it.each([
    'UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/',
    'Tiny Tiny RSS/1.11 (http://tt-rss.org/)',
    'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 22 subscribers; feed-id=8321906634162087507)',
    'Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)',
    'Feedbin - 1 subscribers',
    'LiveJournal.com (webmaster@livejournal.com; for http://www.livejournal.com/users/x/; 8 readers)',
    'Chef Client/10.18.2 (ruby-1.9.3-p327; ohai-6.16.0; x86_64-linux; +http://opscode.com)',
    'Mozilla/5.0 (compatible; YandexImages/3.0; +http://yandex.com/bots)',
  ])('%s is a declared bot', (ua) => {
    expect(classifyUserAgent(ua)).toBe('declared_bot');
  });

  /** A feed reader fetching one feed about every hour (a blog's log: 113 fetches in three days). */
  const feedPoll = (uaClass: UaClass) =>
    features(
      Array.from({ length: 40 }, (_, k) =>
        req({
          tsUs: T0 + k * 3_600e6 + ((k * 37) % 60) * 1e6,
          path: '/blog/tags/puppet',
          query: 'flav=rss20',
          respBytes: 14_872,
        }),
      ),
      uaClass,
    );

  it('a declared feed reader polling its feed has no verdict', () => {
    // Both fire: it is a program asking for one URL on a timer, as its agent says.
    expect(fired(feedPoll('declared_bot'))).toEqual(['regular_intervals', 'low_uniqueness']);
    expect(verdict(feedPoll('declared_bot'))).toMatchObject({ level: 'none', reasons: [] });
    // The same polling from an agent that does not say what it is stays suspicious.
    expect(verdict(feedPoll('browser')).level).toBe('suspicious');
    expect(verdict(feedPoll('empty')).level).toBe('suspicious');
  });

  it('an uptime monitor asking for the home page has no verdict', () => {
    const ua = 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)';
    const monitor = features(
      irregular(32, () => ({ path: '/', respBytes: 0, status: 200 })),
      classifyUserAgent(ua),
    );
    expect(fired(monitor)).toEqual(['low_uniqueness']);
    expect(verdict(monitor).level).toBe('none');
  });

  it('a declared bot that does more than poll keeps its verdict', () => {
    // One feed 150 times in a minute: a rate, which says what it does, beside the polling.
    const hammer = features(
      Array.from({ length: 150 }, (_, k) =>
        req({ tsUs: T0 + k * 4e5 + (k % 7) * 1e5, path: '/blog/tags/puppet', query: 'flav=rss20' }),
      ),
      'declared_bot',
    );
    const v = verdict(hammer);
    expect(v.level).toBe('suspicious');
    expect(v.reasons.map((r) => r.detector)).toEqual(['request_rate', 'low_uniqueness']);
  });
});
