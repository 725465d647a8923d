// k6's process exit codes (grafana/k6 errext/exitcodes/codes.go) and what they mean for a trial. A
// thresholds failure (99) or a script's own exec.test.fail() (110) is the script's verdict, not ours: the
// measurements are complete, so the trial stands. Everything else means the run did not happen as asked.

export const K6_EXIT_MEANINGS: Readonly<Record<number, string>> = {
  97: 'the cloud test run failed',
  98: 'k6 could not get the cloud test progress',
  99: "the script's own thresholds failed",
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'generic timeout',
  103: 'engine error, or the test was stopped through the REST API',
  104: 'invalid configuration (script options or command line)',
  105: 'aborted by an external signal (SIGINT/SIGTERM)',
  106: 'k6 could not start its REST API (is port 6565 taken? another k6 running?)',
  107: 'the script threw an exception',
  108: 'the script aborted the test (exec.test.abort())',
  109: 'k6 crashed (Go panic)',
  110: 'the script marked the test as failed (exec.test.fail())',
};

/** Exit codes after which the measurements are complete and usable. */
const USABLE = new Set([0, 99, 110]);

export function k6ExitUsable(code: number | null, signal: string | null): boolean {
  return signal === null && code !== null && USABLE.has(code);
}

/** "exit code 107 (the script threw an exception)", or the signal that killed k6. */
export function describeK6Exit(code: number | null, signal: string | null): string {
  if (signal !== null) {
    const hint = signal === 'SIGKILL' ? ', e.g. by the out-of-memory killer' : '';
    return `k6 was killed by signal ${signal}${hint}`;
  }
  if (code === null) return 'k6 ended without an exit code';
  const meaning = K6_EXIT_MEANINGS[code];
  return `exit code ${code} (${meaning ?? 'unknown k6 failure'})`;
}
