// The library entry: perf-gate's public API, for scripts and tools that drive the engine without the CLI.
// Stages in pipeline order; each takes and returns plain, versioned data (see docs/architecture.md).

// Load: configuration and scenarios (every problem at once, with file:line:col).
export { loadConfig } from './config/load.ts';
export type { LoadConfigOptions, LoadedConfig } from './config/load.ts';
export { configJsonSchema, scenarioJsonSchema } from './config/json-schema.ts';

// Measure: trials against a target (closed or open model, autocannon or k6), and interleaved pairs.
export { measure } from './measure/measure.ts';
export type { MeasureOptions } from './measure/measure.ts';
export { startMeasure } from './measure/measure.ts';
export type { Measurement } from './measure/measure.ts';
export { startPaired } from './measure/run-paired.ts';
export type { PairedOptions, PairedRuns, PairedMeasurement } from './measure/run-paired.ts';
// The whole gate (measure, adaptive looks, compare, decide) as one use case.
export { runGate } from './usecases/measure-and-decide.ts';
export type { GateOptions, GateResult } from './usecases/measure-and-decide.ts';
export type { RunResult, ScenarioResult, TrialResult, RequestTrialResult } from './contracts/run-result.ts';
export { encodeRunResult, decodeRunResult } from './store/codec/run-result-codec.ts';

// Compare and decide: trial-level statistics, then the verdict under thresholds and budgets.
export { compareRuns } from './compare/compare.ts';
export type { CompareOptions } from './compare/compare.ts';
export type { Comparison, MetricComparison, CompareMode } from './compare/types.ts';
export { decide } from './verdict/decide.ts';
export type { DecideOptions } from './verdict/decide.ts';
export type { Verdict, Outcome, Finding } from './verdict/types.ts';
// Thresholds and budgets: parsed from the same grammar as perf-gate.yml, resolved per series by ruleFor.
export { DEFAULT_THRESHOLDS, ruleFor } from './compare/rules.ts';
export type { Thresholds, SeriesRule } from './compare/rules.ts';
export { parseThresholds } from './config/thresholds/parse.ts';

// Report: the JSON report, the escaped model and the rendered comment and summary.
export { createReportJson, renderReport } from './report/report.ts';
export type { ReportInput, RenderedReport } from './report/report.ts';
export { buildReportModel } from './report/model/build-model.ts';
export type { ReportModel } from './report/model/build-model.ts';

// Stores: baselines in a directory or on a git data branch.
export { FileBaselineStore } from './store/file-store.ts';
export { GitBranchBaselineStore } from './store/git-branch-store.ts';
export type { GitBranchStoreOptions } from './store/git-branch-store.ts';

// Errors and exit codes shared by every shell.
export { EXIT, UsageError, RunFailure, DataError, exitCodeFor } from './contracts/errors.ts';
