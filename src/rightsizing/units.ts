// Rounding and byte units shared by the rightsizing steps: figures are rounded where they are reported, so
// a report stays readable and stable across runs of the same data.
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export const r2 = (x: number) => Math.round(x * 100) / 100;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
export const r4 = (x: number) => Math.round(x * 10000) / 10000;
/** Rounds up to a multiple of `step`, forgiving float error just above a multiple. */
export const ceilTo = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;
export const max = (xs: number[]) => (xs.length ? Math.max(...xs) : undefined);
export const fmtGiB = (bytes: number) => `${r2(bytes / GiB)} GiB`;
export const fmtMiB = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

/** The values that are defined, in order. */
export const defined = <T>(xs: ReadonlyArray<T | undefined>): T[] =>
  xs.filter((x): x is T => x !== undefined);
