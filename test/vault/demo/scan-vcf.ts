// An independent, deliberately simple reader of generated VCF text for the tests: it shares no
// code with the generator, so a generator bug cannot hide itself.

export interface ScannedRecord {
  line: number;
  chrom: string;
  pos: number;
  ref: string;
  alts: string[];
  info: Map<string, string>;
  /** GT per sample, in column order */
  gts: string[];
  columns: number;
}

export interface ScannedVcf {
  meta: string[];
  header: string[];
  samples: string[];
  records: ScannedRecord[];
  /** contig name to length, in header order */
  contigs: Map<string, number>;
}

export function scanVcf(text: string): ScannedVcf {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const meta: string[] = [];
  let header: string[] = [];
  const records: ScannedRecord[] = [];
  const contigs = new Map<string, number>();
  lines.forEach((line, index) => {
    if (line.startsWith('##')) {
      meta.push(line);
      const contig = /^##contig=<ID=([^,>]+),length=(\d+)/.exec(line);
      if (contig) contigs.set(contig[1]!, Number(contig[2]));
      return;
    }
    if (line.startsWith('#')) {
      header = line.slice(1).split('\t');
      return;
    }
    const f = line.split('\t');
    const info = new Map<string, string>();
    for (const kv of (f[7] ?? '').split(';')) {
      const eq = kv.indexOf('=');
      info.set(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? '' : kv.slice(eq + 1));
    }
    records.push({
      line: index + 1,
      chrom: f[0] ?? '',
      pos: Number(f[1]),
      ref: f[3] ?? '',
      alts: (f[4] ?? '').split(','),
      info,
      gts: f.slice(9).map((cell) => cell.split(':')[0] ?? ''),
      columns: f.length,
    });
  });
  return { meta, header, samples: header.slice(9), records, contigs };
}

/** Allele indices of a GT ('0/1', '1|2', '1', './.'): null entries are missing. */
export function allelesOf(gt: string): (number | null)[] {
  return gt.split(/[/|]/).map((a) => (a === '.' ? null : Number(a)));
}

/** A call carries a non-reference allele. */
export function isNonReference(gt: string): boolean {
  return allelesOf(gt).some((a) => a !== null && a > 0);
}

/** Non-reference genotypes per sample column. */
export function nonReferenceCounts(vcf: ScannedVcf): number[] {
  const counts = vcf.samples.map(() => 0);
  for (const r of vcf.records) r.gts.forEach((gt, s) => {
    if (isNonReference(gt)) counts[s]! += 1;
  });
  return counts;
}
