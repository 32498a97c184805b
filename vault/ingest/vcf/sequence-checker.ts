// Rules that span records, run in file order over each chunk's summary: chromosomes are contiguous,
// positions sorted within a chromosome, and no variant appears twice. Up to VCF 4.3 these are errors;
// from 4.4 on (where the suite accepts unsorted files) they are recorded as warnings.
import type { ChunkResult } from './chunk-result.ts';
import { locatedWarning, type VcfProblem } from './vcf-format-error.ts';

interface WindowKey {
  pos: number;
  h1: number;
  h2: number;
  line: number;
}

export class SequenceChecker {
  private chrom: string | null = null;
  private lastPos = 0;
  private readonly seen = new Set<string>();
  private window: WindowKey[] = [];
  readonly warnings: string[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly asWarnings: boolean) {}

  /** Checks every record of the chunk; returns the first problem (or null), or with `collect` hands each to it and goes on. */
  check(result: ChunkResult, collect?: (problem: VcfProblem) => void): VcfProblem | null {
    let key = 0;
    const keyCount = result.keyRec.length;
    for (let r = 0; r < result.records; r++) {
      const name = result.chromNames[result.recChrom[r] ?? 0] ?? '';
      const pos = result.recPos[r] ?? 0;
      const line = result.recLine[r] ?? 0;
      if (name !== this.chrom) {
        if (this.seen.has(name)) {
          const problem = this.report('contiguity', { line, column: 1, message: `records of chromosome '${name}' are not contiguous: it appeared before another chromosome` });
          if (problem) {
            if (!collect) return problem;
            collect(problem);
          }
        }
        this.seen.add(name);
        this.chrom = name;
        this.lastPos = 0;
        this.window = [];
      } else if (pos < this.lastPos) {
        const problem = this.report('sorting', { line, column: name.length + 2, message: `records are not sorted: POS ${pos} comes after ${this.lastPos}` });
        if (problem) {
          if (!collect) return problem;
          collect(problem);
        }
      }
      this.lastPos = Math.max(this.lastPos, pos);
      if (this.window.length > 0 && (this.window[0]?.pos ?? 0) < pos) this.window = this.window.filter((k) => k.pos >= pos);
      for (; key < keyCount && result.keyRec[key] === r; key++) {
        const entry: WindowKey = { pos: result.keyPos[key] ?? 0, h1: result.keyH1[key] ?? 0, h2: result.keyH2[key] ?? 0, line };
        const twin = this.window.find((k) => k.pos === entry.pos && k.h1 === entry.h1 && k.h2 === entry.h2);
        if (twin) {
          const problem = this.report('duplicate', { line, column: 1, message: `duplicated variant: same position and alleles as line ${twin.line}` });
          if (problem) {
            if (!collect) return problem;
            collect(problem);
          }
        }
        this.window.push(entry);
      }
    }
    return null;
  }

  private report(kind: string, problem: VcfProblem): VcfProblem | null {
    if (!this.asWarnings) return problem;
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.warnings.push(locatedWarning(problem.line, problem.column, `${problem.message} (accepted: the vault does not depend on record order or uniqueness; strict mode refuses it up to VCF 4.3)`));
    }
    return null;
  }
}
