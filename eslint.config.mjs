// Lint for every TypeScript file of the repository: typescript-eslint's recommended rules, imports in
// one order, and lines of at most 140 characters (Prettier formats; .prettierrc.json).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', 'coverage/', '.tsx/', '**/*.js', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'simple-import-sort': simpleImportSort, '@stylistic': stylistic },
    rules: {
      // Prettier wraps code at 140; a string, a URL or a regular expression may run longer.
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The shipped code imports aws-cdk-lib's modules by path: the package root re-exports all of them,
    // and one root import makes tsc load every module's declarations (the build checks 4,800 files instead of 3,600).
    files: ['bin/**/*.ts', 'lib/**/*.ts', 'cli/**/*.ts', 'sim/**/*.ts', 'lambdas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'aws-cdk-lib', message: "Import from 'aws-cdk-lib/core' (or the module's own path)." }] },
      ],
    },
  },
  {
    // Tests walk synthesized templates (untyped JSON), feed deliberately malformed input and match
    // terminal escape sequences.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
    },
  },
);
