// Lint rules. The pure core (statistics, comparison, verdict, attribution, rightsizing, report model,
// config parsing, codecs) must not do I/O: the restriction below enforces it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
