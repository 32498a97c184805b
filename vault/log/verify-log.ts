// Read-only verification of a sealed log and its anchor, for `genovault audit verify` and
// tests. Every integrity finding is in the report; only I/O failures throw.
import { inspectLog } from './log-scan.ts';
import type { LogFailure } from './log-integrity-error.ts';

export interface VerifyReport {
  ok: boolean;
  /** valid entries read before the first problem (all of them when ok) */
  entries: number;
  firstBroken?: { seq: number; reason: LogFailure; detail: string };
  /** seq the anchor records as last committed */
  anchoredSeq?: number;
  /** hex hash of the last valid entry: publish it elsewhere to detect a later rollback */
  headHash?: string;
  /** unacknowledged bytes after the last entry, which the next writer discards */
  tornTail?: { offset: number; bytes: number };
  /** valid entries newer than the anchor (a crash between log and anchor fsync) */
  beyondAnchor?: number;
  /** anchor slots that did not open; one is a normal leftover of a crash */
  damagedAnchorSlots?: number;
}

export async function verifyLog(path: string, options: { key: Uint8Array; logId: string }): Promise<VerifyReport> {
  const inspection = await inspectLog(path, options.key, options.logId);
  switch (inspection.state) {
    case 'absent':
      return { ok: false, entries: 0, firstBroken: { seq: 0, reason: 'log_missing', detail: 'neither the log nor its anchor exists' } };
    case 'unborn':
      return { ok: true, entries: 0, anchoredSeq: 0 };
    case 'broken':
      return { ok: false, entries: 0, firstBroken: inspection.broken };
    case 'scanned': {
      const o = inspection.outcome;
      const report: VerifyReport = {
        ok: !o.broken,
        entries: o.entries,
        anchoredSeq: o.anchor.seq,
        headHash: o.head.hash.toString('hex'),
        beyondAnchor: o.beyondAnchor,
        damagedAnchorSlots: o.damagedAnchorSlots,
      };
      if (o.broken) report.firstBroken = o.broken;
      if (o.tornTail) report.tornTail = o.tornTail;
      return report;
    }
  }
}

/** The report as a few lines for a terminal: verdict first, then what a reader should know. */
export function describeVerifyReport(file: string, report: VerifyReport): string {
  const lines: string[] = [];
  if (report.ok) lines.push(`${file}: OK, ${report.entries} entries, chain and anchor verified`);
  else {
    const broken = report.firstBroken!;
    const where = broken.seq > 0 ? `at entry ${broken.seq}` : 'before the first entry';
    lines.push(`${file}: BROKEN ${where}: ${broken.detail} (${broken.reason})`, `  entries verified before it: ${report.entries}`);
  }
  if (report.ok && report.headHash) lines.push(`  head hash: ${report.headHash}`);
  if (report.beyondAnchor) lines.push(`  ${report.beyondAnchor} entries newer than the anchor (crash between commits); kept`);
  if (report.tornTail) lines.push(`  torn tail: ${report.tornTail.bytes} unacknowledged bytes at offset ${report.tornTail.offset}; discarded on next open`);
  if (report.damagedAnchorSlots) lines.push(`  ${report.damagedAnchorSlots} anchor slot damaged (a crash mid-write); rewritten on next open`);
  return lines.join('\n');
}
