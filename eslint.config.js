// Lint rules. The pure core (statistics, comparison, verdict, attribution, rightsizing, report model,
// config parsing, codecs) must not do I/O: the restriction below enforces it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

const ioModules = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:net',
  'net',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:child_process',
  'child_process',
  'autocannon',
  '@actions/core',
  '@actions/github',
  '@octokit/core',
];

// The layers, bottom first (docs/architecture.md draws them). A folder may import its own layer's
// folders' siblings only as listed, and any folder of a lower layer; nothing imports upwards.
const layers = [
  ['contracts', 'util'],
  ['stats', 'scenario', 'demo'],
  ['compare', 'attribution', 'rightsizing'],
  ['measure', 'verdict'],
  ['config', 'history'],
  ['report'],
  ['store', 'github'],
  ['usecases'],
  ['cli', 'action'],
  ['entry'],
];
const layerElements = layers.flat().map((type) => {
  // The Action's files are one element; src/index.ts and src/cli.ts (the entries) match 'src' last.
  if (type === 'action') return { type, pattern: 'action' };
  if (type === 'entry') return { type, pattern: 'src' };
  return { type, pattern: `src/${type}` };
});
const layerPolicies = layers.flatMap((layer, rank) =>
  layer.map((type) => ({
    from: { element: { type } },
    allow: { to: { element: { types: { anyOf: [type, ...layers.slice(0, rank).flat()] } } } },
  })),
);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'action/dist/**', 'coverage/**', '.perf-gate/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts', 'action/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layerElements,
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: { 'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies }] },
  },
  {
    files: [
      'src/contracts/**',
      'src/stats/**',
      'src/compare/**',
      'src/verdict/**',
      'src/attribution/**',
      'src/rightsizing/**',
      'src/report/model/**',
      'src/report/render/**',
      'src/config/parse/**',
      'src/store/codec/**',
      'src/history/**',
    ],
    // The attribution core's I/O side (profile files, git) lives in its own folder.
    ignores: ['src/attribution/io/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ioModules.map((name) => ({ name, message: 'pure core: inject I/O through a port' })) },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'pure core: pass configuration in' },
        { object: 'Math', property: 'random', message: 'pure core: inject a seeded RNG' },
        { object: 'Date', property: 'now', message: 'pure core: inject a clock' },
      ],
    },
  },
);
