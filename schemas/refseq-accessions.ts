// RefSeq accessions of the primary-assembly chromosomes, per build: the FHIR export's 48013-7
// component and gHGVS name chromosomes by them, and a Beacon query may. Source: NCBI assembly reports GCF_000001405.25 (GRCh37.p13) and
// GCF_000001405.40 (GRCh38.p14); patches do not change these chromosome accessions.

import { genomeBuildOf } from './genome-build.ts';

export type ReferenceBuild = 'GRCh37' | 'GRCh38';

// The mitochondrion is the rCRS, NC_012920.1, in both builds (UCSC hg19's chrM was a
// different sequence, NC_001807.4: rows from an hg19-named file may need a look before use).
const ACCESSIONS: Record<ReferenceBuild, Readonly<Record<string, string>>> = {
  GRCh37: {
    '1': 'NC_000001.10', '2': 'NC_000002.11', '3': 'NC_000003.11', '4': 'NC_000004.11', '5': 'NC_000005.9',
    '6': 'NC_000006.11', '7': 'NC_000007.13', '8': 'NC_000008.10', '9': 'NC_000009.11', '10': 'NC_000010.10',
    '11': 'NC_000011.9', '12': 'NC_000012.11', '13': 'NC_000013.10', '14': 'NC_000014.8', '15': 'NC_000015.9',
    '16': 'NC_000016.9', '17': 'NC_000017.10', '18': 'NC_000018.9', '19': 'NC_000019.9', '20': 'NC_000020.10',
    '21': 'NC_000021.8', '22': 'NC_000022.10', X: 'NC_000023.10', Y: 'NC_000024.9', MT: 'NC_012920.1',
  },
  GRCh38: {
    '1': 'NC_000001.11', '2': 'NC_000002.12', '3': 'NC_000003.12', '4': 'NC_000004.12', '5': 'NC_000005.10',
    '6': 'NC_000006.12', '7': 'NC_000007.14', '8': 'NC_000008.11', '9': 'NC_000009.12', '10': 'NC_000010.11',
    '11': 'NC_000011.10', '12': 'NC_000012.12', '13': 'NC_000013.11', '14': 'NC_000014.9', '15': 'NC_000015.10',
    '16': 'NC_000016.10', '17': 'NC_000017.11', '18': 'NC_000018.10', '19': 'NC_000019.10', '20': 'NC_000020.11',
    '21': 'NC_000021.9', '22': 'NC_000022.11', X: 'NC_000023.11', Y: 'NC_000024.10', MT: 'NC_012920.1',
  },
};

/** The chromosome names the table knows: '1'..'22', 'X', 'Y', 'MT'. */
export const CHROMOSOMES: readonly string[] = Object.keys(ACCESSIONS.GRCh38);

/** GRCh37 / GRCh38 from any name the vault knows them by (genome-build.ts: hg19, b37, hg38...); null otherwise. */
export function normaliseBuild(build: string | null | undefined): ReferenceBuild | null {
  const named = build ? genomeBuildOf(build) : null;
  return named === 'GRCh37' || named === 'GRCh38' ? named : null;
}

/** '1'..'22', 'X', 'Y', 'MT' from 'chr17', '17', 'chrM', 'MT'...; null for other contigs. */
export function canonicalChromosome(chrom: string): string | null {
  const bare = chrom.replace(/^chr/i, '').toUpperCase();
  const name = bare === 'M' ? 'MT' : bare;
  return Object.hasOwn(ACCESSIONS.GRCh38, name) ? name : null;
}

/** The RefSeq accession of a chromosome in a build, e.g. ('chr17', 'GRCh38') → NC_000017.11. */
export function refSeqAccession(chrom: string, build: ReferenceBuild): string | null {
  const chromosome = canonicalChromosome(chrom);
  return chromosome === null ? null : (ACCESSIONS[build][chromosome] ?? null);
}

/**
 * The chromosome and build an accession names (NC_000017.11 → '17', GRCh38); the build is null for
 * the mitochondrion, whose accession is the same in both. Null for an accession of no primary chromosome.
 */
export function chromosomeOfAccession(accession: string): { chromosome: string; build: ReferenceBuild | null } | null {
  const wanted = accession.trim().toUpperCase();
  const found: { chromosome: string; build: ReferenceBuild }[] = [];
  for (const build of ['GRCh37', 'GRCh38'] as const) {
    for (const [chromosome, known] of Object.entries(ACCESSIONS[build])) if (known === wanted) found.push({ chromosome, build });
  }
  if (found.length === 0) return null;
  return { chromosome: found[0]!.chromosome, build: found.length === 1 ? found[0]!.build : null };
}
