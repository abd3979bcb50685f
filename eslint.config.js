import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.data', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    // A regex that backtracks (or restarts at each position) in more than linear time lets one
    // long input stall the whole process (review finding M1).
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The layers (ARCHITECTURE.md): server.ts → app.ts → features → lifecycle/ → platform/ → db/,
    // imports pointing down only, types included; demo/ sits on top, beside app.ts.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle follows imports into other modules: it must parse them as TypeScript.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver()],
    },
    rules: {
      // A circle of value imports: one module would run before another it needs is ready.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/db',
              from: './src',
              except: ['./db'],
              message: 'src/db is the bottom layer: it imports nothing else of src/.',
            },
            {
              target: './src/platform',
              from: './src',
              except: ['./platform', './db', './config.ts'],
              message: 'src/platform knows no feature: have app.ts hand in what it needs.',
            },
            {
              target: './src/lifecycle',
              from: './src',
              except: ['./lifecycle', './platform', './db', './config.ts'],
              message: 'The lifecycle engine imports no feature: machines are handed to it.',
            },
            {
              target: './src/!(demo)/**',
              from: ['./src/app.ts', './src/server.ts', './src/demo'],
              message: 'Only the top (server.ts, app.ts, demo/) assembles the features.',
            },
            {
              target: './src/app.ts',
              from: './src/server.ts',
              message: 'app.ts builds the app; start-up sits above it.',
            },
          ],
        },
      ],
    },
  },
);
