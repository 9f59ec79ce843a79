import type { NumericDetector } from './detector.js';

/** Detectors of how much and how mechanically a session asks. */

/**
 * Many distinct resources at a high rate: copying the content. Static files do not count: a
 * browser loads a page's thumbnails, styles and scripts by itself (staticAssets.ts).
 */
export const scraping: NumericDetector = {
  name: 'scraping',
  feature: 'distinctPages',
  direction: 'above',
  botType: 'scraping',
  strong: false,
  threshold: (t) => t.scrapingMinResources,
  applies: (f, t) => f.ratePerMinute >= t.scrapingMinPerMinute,
};

/** Many response bytes over the session. */
export const dataVolume: NumericDetector = {
  name: 'data_volume',
  feature: 'responseBytes',
  direction: 'above',
  botType: 'resource_consumption',
  strong: false,
  threshold: (t) => t.volumeMinBytes,
};

/**
 * An abnormal request rate, of requests other than static files: a page's thumbnails, styles
 * and scripts come in a burst the browser makes by itself (a catalogue page: 150 in a minute).
 */
export const requestRate: NumericDetector = {
  name: 'request_rate',
  feature: 'pageRatePerMinute',
  direction: 'above',
  botType: 'resource_consumption',
  strong: false,
  threshold: (t) => t.rateMinPerMinute,
  applies: (f, t) => f.requests >= t.minRequests,
};

/** Machine-regular gaps between requests: a timer, not a person. */
export const regularIntervals: NumericDetector = {
  name: 'regular_intervals',
  feature: 'intervalCv',
  direction: 'below',
  botType: 'api_abuse',
  strong: false,
  threshold: (t) => t.regularMaxCv,
  applies: (f, t) => f.requests >= t.minRequests,
};

/** The same few resources over and over. */
export const lowUniqueness: NumericDetector = {
  name: 'low_uniqueness',
  feature: 'uniqueness',
  direction: 'below',
  botType: 'api_abuse',
  strong: false,
  threshold: (t) => t.uniquenessMaxRatio,
  applies: (f, t) => f.requests >= t.minRequests,
};
