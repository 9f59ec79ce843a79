import { describe, expect, it } from 'vitest';
import { ruleInputSchema } from './ruleModel.js';

describe('ruleInputSchema', () => {
  const rule = (field: string, pattern: string) =>
    ruleInputSchema.safeParse({ kind: 'tag', field, match: 'regex', pattern, label: 'x' });

  it('refuses a regex too costly for its field, saying why, and keeps literals free', () => {
    const body = rule('body', '[a-z0-9]{1,100}x');
    expect(body.success).toBe(false);
    expect(body.error?.issues[0]?.message).toMatch(/pattern: too costly on texts of up to 64 KiB/);
    expect(body.error?.issues[0]?.path).toEqual(['pattern']);
    expect(rule('path', '[a-z0-9]{1,100}x').success).toBe(true);
    expect(rule('body', '[a-z0-9]+x').success).toBe(true);
    expect(rule('ua', '(.?){100}(.?){100}(.?){100}!').success).toBe(false);
    expect(
      ruleInputSchema.safeParse({
        kind: 'detect',
        field: 'body',
        match: 'literal',
        pattern: 'a{1,100}'.repeat(10),
        type: 'x',
      }).success,
    ).toBe(true);
  });
});
