import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/.cache/**', 'bench/out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Rules read the normalized model only: no file system, no parsers, no reporters, no template syntax.
    files: ['src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'yaml', 'process', 'node:process'],
          patterns: [
            { group: ['../parsers/*', '../reporters/*', '../cli/*', '../docs/*'], message: 'Rules read the model only.' },
            { group: ['./*', '!./define'], message: 'Rules do not import each other: shared logic belongs in src/model.' },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The registry is the one place that imports every rule.
    files: ['src/rules/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
