/**
 * A verdict with its reason, the verdict said once: the judge's reasons often start with the
 * verdict themselves ("rollback: canary 5xx …"), which `verdict: reason` would print twice.
 */
export function verdictText(verdict: string, reason: string): string {
  return `${verdict}: ${withoutVerdict(verdict, reason)}`;
}

/** `reason` without a leading `<verdict>: `. */
export function withoutVerdict(verdict: string, reason: string): string {
  return reason.startsWith(`${verdict}: `) ? reason.slice(verdict.length + 2) : reason;
}
