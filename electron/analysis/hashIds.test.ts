import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endpointId, secretDigest, sessionId, sha256Hex } from './hashIds.js';

const reference = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('public ids', () => {
  it('are the SHA-256 of their UTF-8 text, as every earlier case stored them', () => {
    for (const s of [
      '',
      'session\nip+ua\n1\nabc\n7',
      'é/ü/日本/🙂',
      '\u0000\uffff',
      'x'.repeat(5000),
    ])
      expect(sha256Hex(s)).toBe(reference(s));
    // Ids already handed out (shared links) stay what they were.
    expect(sessionId('ip+ua', 1_709_251_200_000_000, 'ab'.repeat(32), 12)).toBe(
      's' + reference(`session\nip+ua\n1709251200000000\n${'ab'.repeat(32)}\n12`).slice(0, 16),
    );
    expect(endpointId('GET', 'api.example', '/users/{id}')).toBe(
      'e' + reference('endpoint\nGET\napi.example\n/users/{id}').slice(0, 16),
    );
    expect(secretDigest('salt', 'token')).toBe('sha256:' + reference('salt\ntoken').slice(0, 16));
  });
});
