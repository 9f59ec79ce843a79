import { describe, expect, it } from 'vitest';
import { hostKey } from './hostName';

describe('hostKey', () => {
  it('folds the ASCII letters only, keeping ports and other letters as written', () => {
    expect(hostKey('Shop.EXAMPLE')).toBe('shop.example');
    expect(hostKey('SHOP.example:8080')).toBe('shop.example:8080');
    expect(hostKey('BÜCHER.Example')).toBe('bÜcher.example');
    expect(hostKey('')).toBe('');
  });

  it('leaves a lower-case host the very same string', () => {
    const h = 'api.acme-demo.test';
    expect(hostKey(h)).toBe(h);
  });
});
