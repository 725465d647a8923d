// The ports every layer may talk through: logging, the clock and where a report is published. They
// name only plain data, so the layers below the use cases (measure, store, github) implement or take them
// without importing upwards. The use cases' own ports are in src/usecases/ports.ts.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A transient status line (overwritten in place on a TTY, throttled plain lines in CI). */
  progress(line: string): void;
  /** Ends the current progress line, keeping `line` as its final text. */
  progressDone(line: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  progress() {},
  progressDone() {},
};

/** Wall-clock time, injected so reports and audit lines can be pinned in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What a sticky comment post came to; never an exception for a refusal (a fork's read-only token). */
export type CommentOutcome =
  | {
      action: 'created' | 'updated';
      id: number;
      url: string;
      /** Older comments of ours with the same marker (left in place). */
      duplicates: Array<{ id: number; url: string }>;
      /** Comments by other authors that carry the marker: not ours, left alone. */
      ignored: Array<{ author?: string }>;
    }
  | { action: 'forbidden'; status: number; message: string };

/** Where a report is shown: the pull request's sticky comment and the job summary. */
export interface Publisher {
  /** Creates or updates the one comment carrying `marker` (by this token's login); absent without a token. */
  comment?(body: string, marker: string): Promise<CommentOutcome>;
  /** The job summary; absent where there is none (a terminal). */
  summary?(markdown: string): Promise<void>;
}
