import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'test/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The stylesheet's text for the test that judges the themes' colours (app.css?raw); every
    // other stylesheet stays unprocessed, as vitest leaves them by default.
    css: { include: [/renderer\/styles\/app\.css/] },
  },
});
