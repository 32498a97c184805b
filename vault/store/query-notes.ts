// What an answer says besides its rows, so that an empty answer is never mistaken for "nothing
// found": no samples, samples without the annotation a filter reads, samples left out, a region
// the assay did not cover. JSON answers carry them as `notes`; the CLI prints them on stderr; FHIR
// puts them in the DiagnosticReport's conclusion.

export type QueryNoteCode =
  /** the patient has no stored sample (none ingested, or all erased) */
  | 'no_samples'
  /** samples queried with a significance filter carry no ClinVar CLNSIG annotation */
  | 'no_significance_annotation'
  /** samples without a recorded build, included because the query named the build */
  | 'build_unverified'
  /** samples of other builds (or of none recorded) not queried */
  | 'samples_left_out'
  /** cohort samples of the build whose assay did not cover the position or region */
  | 'samples_not_covering'
  /** the gene was asked for by a previous or alias symbol */
  | 'gene_symbol_resolved'
  /** the gene is not in the gene table: only rows annotated with it can be found */
  | 'gene_not_in_table'
  /** a region the sample's assay (targets BED or gVCF blocks) did not, or only partly, cover */
  | 'region_not_covered';

export interface QueryNote {
  code: QueryNoteCode;
  message: string;
}

export const note = (code: QueryNoteCode, message: string): QueryNote => ({ code, message });

/** "1 sample", "3 samples" */
export function samplesText(n: number): string {
  return `${n} sample${n === 1 ? '' : 's'}`;
}
