// The ports the engine talks through; the CLI and the Action build them.

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
