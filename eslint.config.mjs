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
    // Spreading a list into a call passes each item on the call stack: past ~100,000 items (an input can expand to
    // that many rules and findings) V8 throws "Maximum call stack size exceeded". src/model/arrays.ts loops instead.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement",
          message: 'Use pushAll/prependAll (src/model/arrays.ts): a spread argument list overflows the stack for input-sized lists.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement",
          message: 'Use maxOf/minOf (src/model/arrays.ts): a spread argument list overflows the stack for input-sized lists.',
        },
        {
          selector: "CallExpression[callee.name=/^(mergeConditions|canHoldTogether)$/] > SpreadElement",
          message: 'Pass the list to mergeConditionSets, or flatten it for canHoldTogether: a spread argument list overflows the stack for input-sized lists.',
        },
        {
          selector: "CallExpression[callee.object.name='String'][callee.property.name=/^fromC/] > SpreadElement",
          message: 'Build the string in a loop: a spread argument list overflows the stack for input-sized lists.',
        },
      ],
    },
  },
  // Layer guards: arrows point down only (cli -> engine -> rules -> model, engine -> parsers -> model).
  {
    // The model is the contract at the bottom: it imports nothing above it.
    files: ['src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(parsers|rules|engine|cli|reporters|graph|docs|index)(/|$)',
              message: 'src/model is the contract between parsers and rules: it imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Parsers build the model; they know nothing of rules, the engine, reporters or the CLI.
    files: ['src/parsers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(rules|engine|cli|reporters|graph|docs|index)(/|$)',
              message: 'Parsers import only the model and each other: nothing from rules, engine, reporters or the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine runs parsers and rules; it never reaches up into the CLI or the reporters.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(cli|reporters|graph|docs|index)(/|$)', message: 'The engine does not import the CLI or reporters.' }] },
      ],
    },
  },
  {
    // Rules read the normalized model only, through the rule API and the kit: no file system, no parsers, no
    // packages, no template syntax, and no other rule.
    files: ['src/rules/*.ts'],
    ignores: ['src/rules/index.ts', 'src/rules/api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./model/|\\./api$|\\./kit/)',
              message: 'A rule imports only src/model, ./api and ./kit: shared logic belongs in the kit, never in another rule.',
            },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The rule API and the kit sit between the rules and the model.
    files: ['src/rules/api.ts', 'src/rules/kit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(\\.\\./)+model/|\\.\\./api$|\\./)',
              message: 'The rule API and kit import only src/model, the API and each other.',
            },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The registry imports every rule and the API, nothing else.
    files: ['src/rules/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'The registry imports only the rules and the API.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
