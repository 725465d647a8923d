// The layer rule and the purity rule in eslint.config.js catch what they are for: linted as if they were
// files of the project (ESLint's own API, the project's real config), an upward import and an I/O import
// in the pure core are errors, while a downward import is clean.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layers in lint', () => {
  it('an upward import is an error: stats may not import compare', async () => {
    const ids = await ruleIds(
      'src/stats/layer-probe.ts',
      "import { compareRuns } from '../compare/compare.ts';\nexport const probe = compareRuns;\n",
    );
    expect(ids).toContain('boundaries/dependencies');
  });

  it('the measure layer may not reach the use cases or the shells', async () => {
    const ids = await ruleIds(
      'src/measure/layer-probe.ts',
      "import { gate } from '../usecases/gate.ts';\nexport const probe = gate;\n",
    );
    expect(ids).toContain('boundaries/dependencies');
  });

  it('a downward import is clean: the use cases may import stats and contracts', async () => {
    const ids = await ruleIds(
      'src/usecases/layer-probe.ts',
      "import { median } from '../stats/index.ts';\nimport { EXIT } from '../contracts/errors.ts';\nexport const probe = [median, EXIT];\n",
    );
    expect(ids).toEqual([]);
  });

  it('the pure core may not do I/O', async () => {
    const ids = await ruleIds(
      'src/verdict/layer-probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });
});
