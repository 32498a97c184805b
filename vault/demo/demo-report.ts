// What the demo shows after building the vault: a summary of what is stored (and what it
// weighs at rest), and example queries through the query engine, as an operator would run them.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultService } from '../service/open-service.ts';
import type { PatientVariant } from '../store/patient-queries.ts';
import type { DemoFocus } from './demo-accounts.ts';

/** BRCA1 on GRCh38 (NCBI Gene 672's span), the gene the examples are about. */
export const BRCA1_GRCH38 = 'chr17:43044295-43125483';
/** the synthetic exomes' build; the vault also holds the GRCh37 1000 Genomes samples */
const COHORT = { build: 'GRCh38' };
const PATHOGENIC = ['pathogenic', 'likely_pathogenic'];

export interface DemoSummary {
  patients: number;
  samples: number;
  calls: number;
  partitions: number;
  bytesAtRest: number;
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

export async function summarize(service: VaultService): Promise<DemoSummary> {
  const catalog = service.vault.catalog;
  const partitions = catalog.callPartitions();
  return {
    patients: catalog.data.patients.length,
    samples: catalog.data.samples.length,
    calls: partitions.reduce((sum, p) => sum + p.rows, 0),
    partitions: partitions.length,
    bytesAtRest: await bytesUnder(service.config.dataDir),
  };
}

/**
 * The focus patient: the first synthetic patient carrying a pathogenic BRCA1 variant (the
 * generator gives each such variant one to three carriers), else the one with most BRCA1 calls.
 */
export async function chooseFocus(service: VaultService, syntheticPatientIds: readonly string[]): Promise<DemoFocus> {
  let best: { id: string; calls: number } | undefined;
  let focus: string | undefined;
  for (const id of syntheticPatientIds) {
    const calls = (await service.queries.variantsOfPatient(id, { gene: 'BRCA1' })).variants;
    if (calls.some((v) => isPathogenic(v))) {
      focus = id;
      break;
    }
    if (!best || calls.length > best.calls) best = { id, calls: calls.length };
  }
  const focusPatientId = focus ?? best?.id ?? syntheticPatientIds[0]!;
  const others = syntheticPatientIds.filter((id) => id !== focusPatientId);
  return { focusPatientId, proxyPatientId: others[0]!, careTeamPatientIds: others.slice(0, 3), untreatedPatientId: others[3]! };
}

/** ClinVar says pathogenic or likely pathogenic (CLNSIG may list several values). */
export function isPathogenic(v: PatientVariant): boolean {
  return (v.clnsig ?? '').toLowerCase().split(/[/|,]/).some((t) => PATHOGENIC.includes(t.trim()));
}

const variantText = (v: { chrom: string; pos: number; ref: string; alt: string }) => `${v.chrom}:${v.pos}:${v.ref}:${v.alt}`;

function variantLine(v: PatientVariant): string {
  return `    ${variantText(v).padEnd(26)} ${v.genotype.padEnd(4)} ${v.zygosity.padEnd(10)} ${(v.gene ?? '.').padEnd(7)} ${v.clnsig ?? '.'}`;
}

/** Example query results as printable lines (the data is synthetic, so printing it is fine). */
export async function exampleQueries(service: VaultService, focusPatientId: string): Promise<string[]> {
  const q = service.queries;
  const lines: string[] = [];
  const brca1 = (await q.variantsOfPatient(focusPatientId, { gene: 'BRCA1' })).variants;
  lines.push(`BRCA1 variants of patient ${focusPatientId} (${brca1.length}):`, ...brca1.slice(0, 8).map(variantLine));
  if (brca1.length > 8) lines.push(`    ... ${brca1.length - 8} more`);

  const pathogenic = (await q.variantsOfPatient(focusPatientId, { significance: PATHOGENIC })).variants;
  lines.push('', `pathogenic or likely pathogenic variants of the same patient, all genes (${pathogenic.length}):`, ...pathogenic.map(variantLine));

  const first = pathogenic[0];
  if (first) {
    const { carriers, samplesQueried } = await q.carriers(variantText(first), COHORT);
    lines.push('', `carriers of ${variantText(first)} among the vault's ${samplesQueried} GRCh38 samples covering it (${carriers.length}):`);
    for (const c of carriers) lines.push(`    patient ${c.patientId ?? '?'}  sample ${c.sampleId}  ${c.genotype} ${c.zygosity}`);
  }

  const answer = await q.alleleCounts(BRCA1_GRCH38, COHORT);
  const counts = answer.variants;
  const top = [...counts].sort((a, b) => b.alleleCount - a.alleleCount || a.pos - b.pos).slice(0, 5);
  const { otherBuild, notCovering } = answer.samplesLeftOut;
  lines.push('', `allele counts over BRCA1 (${BRCA1_GRCH38}, GRCh38): ${counts.length} variant sites across ${answer.samplesQueried} samples `
    + `(left out: ${otherBuild} on GRCh37, ${notCovering} not covering it); most common:`);
  for (const v of top) lines.push(`    ${variantText(v).padEnd(26)} allele count ${String(v.alleleCount).padStart(3)}  carriers ${v.carriers}`);
  return lines;
}
