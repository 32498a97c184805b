// The reference build a header names: by ##reference / ##assembly text, else by the assembly= of
// its ##contig lines, else by the lengths of its primary contigs (chr1 is 249,250,621 bp in GRCh37
// and 248,956,422 in GRCh38). The first kind of evidence present decides; it must agree with
// itself, and a later kind that disagrees is reported (the header is then worth a look).
import { CHROMOSOME_LENGTHS, GENOME_BUILDS, type GenomeBuildName } from '../../../schemas/genome-build.ts';
import { normaliseChrom } from './chrom-names.ts';

const PATTERNS: Record<GenomeBuildName, RegExp> = {
  GRCh37: /grch37|hg19|\bb37\b|hs37d5|g1k_v37|build ?37|ncbi37/i,
  GRCh38: /grch38|hg38|\bb38\b|build ?38/i,
  NCBI36: /ncbi ?(?:build ?)?36|hg18|\bb36\b|build ?36/i,
};

/** The one build a text names (a file path, an assembly name), or null when it names none or several. */
export function buildFromText(text: string): GenomeBuildName | null {
  const named = GENOME_BUILDS.filter((b) => PATTERNS[b].test(text));
  return named.length === 1 ? named[0]! : null;
}

/** The build whose length for this primary chromosome this is, when exactly one build has it. */
export function buildFromContigLength(name: string, length: number): GenomeBuildName | null {
  const chrom = normaliseChrom(name);
  const builds = GENOME_BUILDS.filter((b) => CHROMOSOME_LENGTHS[b][chrom] === length);
  return builds.length === 1 ? builds[0]! : null;
}

export interface BuildEvidence {
  /** values of ##reference and ##assembly lines */
  referenceTexts: string[];
  /** assembly= values of ##contig lines */
  contigAssemblies: string[];
  /** declared contig lengths */
  contigLengths: { name: string; length: number }[];
}

export interface DetectedBuild {
  build: GenomeBuildName | null;
  /** which header lines said so, for messages: '##reference/##assembly lines', '##contig assembly= values', '##contig lengths' */
  source: string | null;
  /** disagreements found in the header, as warnings */
  conflicts: string[];
}

export function detectBuild(evidence: BuildEvidence): DetectedBuild {
  const kinds: [string, (GenomeBuildName | null)[]][] = [
    ['##reference/##assembly lines', evidence.referenceTexts.map(buildFromText)],
    ['##contig assembly= values', evidence.contigAssemblies.map(buildFromText)],
    ['##contig lengths', evidence.contigLengths.map((c) => buildFromContigLength(c.name, c.length))],
  ];
  const conflicts: string[] = [];
  let decided: { build: GenomeBuildName; source: string } | null = null;
  for (const [source, found] of kinds) {
    const builds = [...new Set(found.filter((b): b is GenomeBuildName => b !== null))];
    if (builds.length === 0) continue;
    if (decided) {
      const other = builds.filter((b) => b !== decided!.build);
      if (other.length > 0) conflicts.push(`the header's ${source} point to ${other.join(' and ')}, its ${decided.source} to ${decided.build}; ${decided.build} is taken`);
      continue;
    }
    if (builds.length > 1) {
      conflicts.push(`the header's ${source} name several builds (${builds.join(', ')}): the build cannot be told from it`);
      return { build: null, source: null, conflicts };
    }
    decided = { build: builds[0]!, source };
  }
  return { build: decided?.build ?? null, source: decided?.source ?? null, conflicts };
}
