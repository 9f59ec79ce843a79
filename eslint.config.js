// Lint rules, including the layering rule: shared/ is pure, renderer/ never reaches Node,
// and only electron/main/openExternal.ts may call shell.openExternal.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'zlib',
  'stream',
  'http',
  'net',
  'url',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-artifacts/**', 'bench-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='openExternal']",
          message: 'Use safeOpenExternal (electron/main/openExternal.ts).',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            {
              group: [
                'electron',
                'react',
                'react-dom',
                'better-sqlite3',
                '../electron/*',
                '../renderer/*',
                '../../electron/*',
                '../../renderer/*',
              ],
              message: 'shared/ imports nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'renderer/ runs in a sandbox: no Node built-ins.' },
            {
              group: [
                'electron',
                'better-sqlite3',
                '../electron/*',
                '../../electron/*',
                '../../../electron/*',
              ],
              message: 'renderer/ talks to the backend only through the contract client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/**/*.ts',
      'scripts/**/*.{js,mjs}',
      'bin/**/*.mjs',
      'bench/**/*.ts',
      'test/**/*.ts',
      '*.config.{js,ts}',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/main/openExternal.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
