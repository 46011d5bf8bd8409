import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/**
 * Lint zones enforce the layer rules (ARCHITECTURE.md): each folder may import only what the
 * runtime it runs in provides. The zones are checked on import specifiers, so a relative path that
 * climbs into a forbidden folder is caught as well as a package name.
 */
const outsideEngine = [
  '**/formats/**',
  '**/store/**',
  '**/services/**',
  '**/api/**',
  '**/desktop/**',
  '**/server/**',
  '**/cli/**',
];
const nodeOnly = ['**/desktop/**', '**/server/**', '**/cli/**'];

export default ts.config(
  { ignores: ['out/**', 'node_modules/**', 'reports/**', 'test-results/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig: './svelte.config.mjs',
      },
    },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^[^.]', message: 'The engine is pure: it imports nothing outside src-main/engine.' },
            {
              group: outsideEngine,
              message: 'The engine is pure: it imports nothing outside src-main/engine.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'performance', 'console'],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use the seeded PRNG: sessions must re-run bit for bit.',
        },
        {
          object: 'Date',
          property: 'now',
          message: 'Virtual time only: the engine never reads the wall clock.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'Virtual time only.' },
      ],
    },
  },
  {
    files: [
      'src-main/formats/**/*.ts',
      'src-main/store/**/*.ts',
      'src-main/services/**/*.ts',
      'src-main/api/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src-main/desktop may import electron.' }],
          patterns: [{ group: nodeOnly, message: 'Lower layers do not import the desktop, server or CLI.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/server/**/*.ts', 'src-main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src-main/desktop may import electron.' }],
          patterns: [
            { group: ['**/desktop/**'], message: 'The CLI and server never load the desktop shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the main side through the API client only.' },
          ],
          patterns: [
            { regex: '^node:', message: 'The renderer runs in a browser: no Node modules.' },
            {
              group: ['**/src-main/**', '!**/src-main/api', '!**/src-main/api/*'],
              message: 'The renderer imports only the API contract (src-main/api) from the main side.',
            },
            {
              group: ['**/src-main/api/schemas', '**/src-main/api/schemas.ts'],
              message:
                'Argument schemas are for the main side (they bundle zod); the renderer has RUN_LIMITS.',
            },
          ],
        },
      ],
    },
  },
);
