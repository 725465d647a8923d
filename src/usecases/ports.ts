// The use cases' own ports: the change under test and who approved a regression. The shells (CLI, Action,
// demo) build them. The stores' port is src/store/types.ts, the process starter src/measure/process-starter.ts;
// logging, the clock and the publisher are in src/contracts/ports.ts, where the layers below reach them.
import type { ChangedFile } from '../attribution/diff.ts';
import type { ApprovalRecord } from '../verdict/types.ts';

/** The change under test, or how to find it, or why it is unknown. */
export type Changes =
  | { files: ChangedFile[] }
  /** The git diff of the checkout against this revision (`git diff <rev>...HEAD`). */
  | { diffBase: string }
  | { unavailable: string };

/** The files changed in the pull request (the REST API, a git diff, the demo's own change). */
export interface ChangesSource {
  changes(): Promise<Changes>;
}

/** Who approved an intended regression, if anyone: a `--approve` flag, a PR label, a config entry. */
export interface ApprovalSource {
  approval(): Promise<ApprovalRecord | undefined>;
}
