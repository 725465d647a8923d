// Fuzzing unified diffs (git diff -U0) and the REST API's per-file patches: the parsers never throw;
// a malformed hunk is flagged, and line numbers stay within what the text can describe.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGitDiff, parsePatchHunks, parseRestFiles } from '../../src/attribution/diff.ts';
import { corpus, fuzz, mutatedText, pathological } from './fuzz.ts';

const GIT_DIFF = `diff --git a/src/fees.ts b/src/fees.ts
index 1111111..2222222 100644
--- a/src/fees.ts
+++ b/src/fees.ts
@@ -10,2 +10,3 @@ export function fee(x: number) {
-  return x * 2;
-}
+  const y = x * 2;
+  return y + slow();
+}
diff --git a/old name.ts b/"new\\tname.ts"
similarity index 90%
rename from old name.ts
rename to "new\\tname.ts"
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
`;
const PATCH = '@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n@@ -40 +41,0 @@\n-gone';
const HUNK_BITS = fc.constantFrom(
  '@@ ',
  ' @@',
  '-',
  '+',
  ' ',
  '\n',
  ',',
  '\\ No newline at end of file',
  'diff --git ',
  '--- ',
  '+++ ',
  '999999999999',
);

function checkDiff(text: string) {
  const files = parseGitDiff(text);
  for (const f of files) expect(typeof f.path).toBe('string');
}

function checkPatch(text: string) {
  const { hunks } = parsePatchHunks(text);
  expect(Array.isArray(hunks)).toBe(true);
  parseRestFiles([{ filename: 'a.ts', status: 'modified', patch: text }]);
}

describe('fuzz: unified diffs and REST patches', () => {
  it('the samples parse', () => {
    expect(parseGitDiff(GIT_DIFF).length).toBeGreaterThanOrEqual(2);
    expect(parsePatchHunks(PATCH).malformed).toBe(false);
  });
  it('mutated git diffs parse without throwing', () => {
    fuzz(mutatedText(GIT_DIFF, HUNK_BITS), checkDiff);
  });
  it('mutated REST patches parse without throwing', () => {
    fuzz(mutatedText(PATCH, HUNK_BITS), checkPatch);
  });
  it('arbitrary text parses without throwing', () => {
    fuzz(fc.string({ unit: 'binary', maxLength: 400 }), (t) => {
      checkDiff(t);
      checkPatch(t);
    });
  });
  it('pathological and corpus inputs end', () => {
    for (const text of pathological(['@@ -', '+', '-', ' ', '"', '\\', 'diff --git a/'], 20_000)) {
      checkDiff(text);
      checkPatch(text);
    }
    for (const { text } of corpus('diff')) checkDiff(text);
    // A hunk header that claims a billion lines: counted, not allocated.
    checkPatch('@@ -1,1000000000 +1,1000000000 @@\n a');
  });
});
