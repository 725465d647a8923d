// The simple adapters of the use-case ports: changes and approvals that the shell already knows.
import type { ApprovalRecord } from '../verdict/types.ts';
import type { ApprovalSource, Changes, ChangesSource } from './ports.ts';

export function knownChanges(changes: Changes): ChangesSource {
  return { changes: async () => changes };
}

/** `--approve "<reason>"` (the CLI) or an approval the shell read elsewhere; none without a reason. */
export function approvalByFlag(reason: string | undefined, by: string | undefined): ApprovalSource {
  const record: ApprovalRecord | undefined = reason
    ? { source: 'flag', reason, ...(by ? { by } : {}) }
    : undefined;
  return { approval: async () => record };
}

export const noApproval: ApprovalSource = { approval: async () => undefined };
