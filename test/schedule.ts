// The order `npm test` starts its files in (vitest.config.ts, LongestFirst): seconds each file took in
// `npm test` beside one to four busy loops (vitest's JSON reporter), for the files of 5 s or more, longest
// first. Longest first is the classic greedy schedule (LPT): the long files start at once
// and end with the rest instead of alone at the end. vitest orders by its cache of last durations, which a
// fresh clone (CI) does not have, and then by file size: the four-line matrix files would start last.
// Files not listed keep vitest's order, after these. test/architecture/schedule.test.ts checks every
// listed file exists.
export const FILE_SECONDS: Record<string, number> = {
  'test/e2e/demo.server.test.ts': 34,
  'test/e2e/action.server.test.ts': 31,
  'test/attribution/matrix-tsc.server.test.ts': 27,
  'test/attribution/matrix-fastify.server.test.ts': 23,
  'test/attribution/matrix-esbuild.server.test.ts': 21,
  'test/attribution/matrix-node-http.server.test.ts': 20,
  'test/usecases/gate-real-servers.server.test.ts': 20,
  'test/measure/target-faults.server.test.ts': 18,
  'test/e2e/demo-identical.server.test.ts': 18,
  'test/measure/runners/k6/distributed.test.ts': 15,
  'test/store/git-branch-store.test.ts': 14,
  'test/e2e/cli-broken-candidate.server.test.ts': 12,
  'test/e2e/workflows-doc.server.test.ts': 11,
  'test/e2e/action-security.server.test.ts': 10,
  'test/verdict/sequential-simulation.test.ts': 10,
  'test/store/history-store.test.ts': 10,
  'test/attribution/functions.test.ts': 10,
  'test/e2e/cli-profiles.server.test.ts': 10,
  'test/e2e/cli-publish.test.ts': 9,
  'test/report/render.test.ts': 8,
  'test/e2e/cli-resources.server.test.ts': 8,
  'test/compare/simulation.test.ts': 8,
  'test/e2e/cli-store-git.server.test.ts': 8,
  'test/measure/collectors/resources/pid-probe.server.test.ts': 7,
  'test/measure/runners/autocannon-closed.server.test.ts': 6,
  'test/e2e/action-fail-on.server.test.ts': 6,
  'test/history/real-runs.server.test.ts': 6,
  'test/demo/service.server.test.ts': 6,
  'test/measure/runners/open-rate.server.test.ts': 6,
};
