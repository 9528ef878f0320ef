// Lint: TypeScript rules and the module boundaries of DESIGN.md §3.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'public/js/**', 'data/**', '.tmp/**', 'bench/results/**'] },
  js.configs.recommended,
  {
    // Progressive-enhancement scripts served as they are to browsers.
    files: ['public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window', 'document', 'location', 'history', 'fetch', 'URL', 'URLSearchParams', 'FormData', 'DOMParser',
          'AbortController', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'setTimeout', 'clearTimeout', 'console',
          'requestAnimationFrame', 'navigator',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // French text keeps its no-break spaces before « : » and inside « » (decision 0025): allowed in
      // strings, templates, regular expressions and JSX text, still refused in code and comments.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipJSXText: true }],
    },
  },
  {
    // The kernel is shared and thin: it never depends on a feature module.
    files: ['src/kernel/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)modules(/|$)', message: 'kernel/ never imports modules/ (DESIGN.md §3).' }] },
      ],
    },
  },
  {
    // A module uses another module only through its index.ts.
    files: ['src/modules/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$).+',
              message: 'Use the other module through its index.ts only (DESIGN.md §3).',
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives only in repo files: the query builder is not used elsewhere in src/.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/repo.ts', 'src/**/*-repo.ts', 'src/**/*.test.ts', 'src/db/migrations/**', 'src/kernel/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom)$/]",
          message: 'SQL lives only in repo.ts files (DESIGN.md §3).',
        },
      ],
    },
  },
);
