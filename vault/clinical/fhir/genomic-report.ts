// The DiagnosticReport (Genomics Reporting IG `genomic-report` profile) that groups a variant
// export's Observations as its `result`, and says in `conclusion` what the rows alone do not: the
// build, how many samples were read, and the query's notes (no samples, no ClinVar annotation,
// samples left out, a region not covered), so an empty report is never read as "nothing found".
import type { DiagnosticReport, Reference } from './fhir-types.ts';
import { CATEGORY, LOINC, PROFILE } from './terminology.ts';

/** A note of the query behind the export (vault/store/query-notes.ts). */
export interface ReportNote {
  code: string;
  message: string;
}

export interface ReportInput {
  id: string;
  subject: Reference;
  issued: Date;
  /** the variant and diagnostic-implication Observations, in bundle order */
  results: Reference[];
  variants: number;
  build: string | null;
  samplesQueried?: number | undefined;
  notes: readonly ReportNote[];
}

export function conclusionOf(input: Pick<ReportInput, 'variants' | 'build' | 'samplesQueried' | 'notes'>): string {
  const counted = `${input.variants} variant${input.variants === 1 ? '' : 's'} reported`;
  const build = input.build ? ` on ${input.build}` : '';
  const samples = input.samplesQueried !== undefined ? ` from ${input.samplesQueried} sample${input.samplesQueried === 1 ? '' : 's'}` : '';
  return [`${counted}${build}${samples}.`, ...input.notes.map((n) => `Note (${n.code}): ${n.message}.`)].join(' ');
}

export function genomicReport(input: ReportInput): DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    id: input.id,
    meta: { profile: [PROFILE.genomicReport] },
    status: 'final',
    category: [{ coding: [{ ...CATEGORY.genetics }] }, { coding: [{ ...CATEGORY.laboratoryService }] }],
    code: { coding: [{ ...LOINC.geneticAnalysisReport }] },
    subject: input.subject,
    issued: input.issued.toISOString(),
    result: input.results.map((r) => ({ ...r })),
    conclusion: conclusionOf(input),
  };
}
