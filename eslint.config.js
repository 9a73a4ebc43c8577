// ESLint: the recommended JavaScript rules and typescript-eslint's type-checked rules over sources, tests, scripts
// and the example plugin; the walls between the rooms of src/ (CONTRIBUTING.md, "Import rules").
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// ---- Walls between the rooms of src/ (CONTRIBUTING.md, "Import rules") -------------------------------------------
// Each wall: a no-restricted-imports pattern for static imports, and a regex over the specifier (`dynamic`, else the
// pattern's own `regex`) that no-restricted-syntax checks in import() and require(), which no-restricted-imports does
// not see.
const oclif = {
  group: ['@oclif/*', '@oclif/*/**'],
  message: 'Only src/lib/oclif/ imports oclif; take Args, Flags and types from lib/oclif/index.js.',
  dynamic: String.raw`^@oclif\/`,
}
const oneCopy = 'Take oclif values from ./core.js (the loader picks the one copy of oclif); import only types here.'
const commands = {
  group: ['**/commands/**', '**/hooks/**'],
  message: 'lib/ never imports a command or a hook.',
  dynamic: String.raw`(^|\/)(commands|hooks)\/`,
}
const sandboxOnly = {
  regex: String.raw`^\.\.\/(?!lib\/api\/contract\.js$|lib\/api\/validate\.js$|lib\/scopes\.js$|lib\/processes\.js$)`,
  message:
    'The sandbox imports only the contract (lib/api/contract.js, its validators), the scope list and lib/processes.js.',
}
/** The package's own name: the sandbox would reach every module of the CLI through it. */
const selfPackage = {
  group: ['codika', 'codika/*'],
  message: 'The sandbox imports only the contract, the scope list and lib/processes.js, by relative path.',
  dynamic: String.raw`^codika(\/|$)`,
}
const leaf = {regex: String.raw`^\.`, message: 'lib/processes.ts imports nothing of codika (a leaf).'}
const walls = (...rules) => ({
  'no-restricted-imports': ['error', {patterns: rules.map(({dynamic: _, ...pattern}) => pattern)}],
  'no-restricted-syntax': [
    'error',
    ...rules.flatMap(({dynamic, regex, message}) => [
      {selector: `ImportExpression[source.value=/${dynamic ?? regex}/]`, message},
      {selector: `CallExpression[callee.name='require'][arguments.0.value=/${dynamic ?? regex}/]`, message},
    ]),
  ],
})

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'examples/*/dist/**', 'examples/*/node_modules/**', '.tmp/**']},
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: {...globals.node},
      parserOptions: {
        projectService: {allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs', 'bench/*.mjs', 'examples/*/*.mjs']},
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      // oclif's run() and catch(), and the sandbox's handlers, are async by contract whether or not they await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read JSON documents printed by a spawned CLI: untyped by nature, so the no-unsafe-* family stays off there;
    // node:test's describe/test return promises the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Plain JavaScript (entry points, build and bench scripts): no type information to check against.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The entry point is CommonJS (bin/package.json): it starts faster.
    files: ['bin/**/*.js'],
    languageOptions: {sourceType: 'commonjs', globals: {...globals.node, ...globals.commonjs}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {files: ['src/**/*.ts', 'src/**/*.cts'], rules: walls(oclif)},
  {files: ['src/lib/**/*.ts', 'src/lib/**/*.cts'], rules: walls(oclif, commands)},
  {
    files: ['src/lib/oclif/**/*.ts', 'src/lib/oclif/**/*.cts'],
    rules: walls(commands),
  },
  {
    // Inside the corner, oclif's values come from the loader (lib/oclif/core.ts, bundle.cts): importing them from
    // @oclif/core would load a second copy of oclif from node_modules beside the bundle's. Types are free.
    files: ['src/lib/oclif/**/*.ts', 'src/lib/oclif/**/*.cts'],
    ignores: ['src/lib/oclif/bundle.cts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{name: '@oclif/core', message: oneCopy, allowTypeImports: true}],
          patterns: [{group: ['@oclif/core/*'], message: oneCopy, allowTypeImports: true}],
        },
      ],
    },
  },
  {files: ['src/sandbox/**/*.ts'], rules: walls(oclif, sandboxOnly, selfPackage)},
  {
    // lib/processes.ts is a leaf the sandbox may import: Node's modules only, so it brings no other room along.
    files: ['src/lib/processes.ts'],
    rules: walls(oclif, leaf),
  },
)
