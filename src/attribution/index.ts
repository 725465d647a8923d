// perf-gate attribution API (pure). File and process access lives in ./io/.

export { attribute } from './attribute.ts';
export type {
  AttributionInput,
  AttributionResult,
  Confidence,
  Contribution,
  Evidence,
  Missing,
  MissingInput,
  PhaseHint,
  ProfileCapture,
  ProfileSource,
  RegressedFunction,
  Suspect,
} from './attribute.ts';

export {
  aggregateServerTiming,
  comparePhases,
  parseServerTiming,
  ServerTimingAccumulator,
} from './server-timing.ts';
export type {
  ComparePhasesOptions,
  PhaseShift,
  RequestPhaseComparison,
  ServerTimingMetric,
  TimedResponse,
} from './server-timing.ts';

export { bytesSource } from './bytes.ts';
export type { ByteSource } from './bytes.ts';
export { parseCpuProfile, parseCpuProfileWindows } from './cpuprofile.ts';
export type { CpuProfileInput, TimeWindow } from './cpuprofile.ts';
export { isGzip, parsePprof } from './pprof.ts';
export type { PprofOptions } from './pprof.ts';
export {
  classifyFrame,
  functionKey,
  mergeProfiles,
  ProfileFormatError,
  summarizeFunctions,
} from './profile-model.ts';
export type { FunctionTimes, ProfileFunction, ProfileModel } from './profile-model.ts';
// Data shapes of the run these modules read and write (the contract lives in contracts/).
export type {
  FrameKind,
  PhaseAggregate,
  RequestServerTiming,
  TrialServerTiming,
} from '../contracts/run-result.ts';

export { DEFAULT_PROFILE_DIFF_OPTIONS, diffProfiles } from './profile-diff.ts';
export type {
  ChangeClass,
  CpuChange,
  DiffFunction,
  ProfileDiff,
  ProfileDiffOptions,
  ResolvedDiffOptions,
  StackTrie,
  TestMethod,
  TrialProfile,
} from './profile-diff.ts';

export { changedLineSet, isLockfile, parseGitDiff, parsePatchHunks, parseRestFiles } from './diff.ts';
export type { ChangedFile, ChangeStatus, DiffParseOptions, Hunk, RestFileEntry } from './diff.ts';
export { changedFunctions, changedFunctionsIn, MODULE_FUNCTION_NAME, scanFunctions } from './functions.ts';
export type { ChangedFunction, FunctionKind, SourceFunction } from './functions.ts';
export { nameScore, resolveFrames } from './resolve.ts';
export type { FileResolution, FrameRef, FrameResolution } from './resolve.ts';
export { dependencyOf, fileUrlToPath, inferCheckoutRoot, profileUrlToRepoPath } from './paths.ts';
export type { DependencyRef, PathMapping } from './paths.ts';
export { dependencyChanges, dependencyChangesFromLines, lockfileVersions } from './lockfiles.ts';
export type { DependencyChange, Ecosystem } from './lockfiles.ts';

export { diffFolded, frameLabel, speedscopeFile } from './folded.ts';
export type { FoldedOptions, SpeedscopeFile, SpeedscopeFrame, SpeedscopeSampledProfile } from './folded.ts';
