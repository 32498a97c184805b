// The demo's research side: a cohort of synthetic exomes (chr17 only, GRCh38) large enough for
// answers above the disclosure threshold, research consents in DUO terms as a counsellor records
// them from signed forms, and a project the demo researcher proposes and the ethics board
// approves. Also the typical questions of a researcher exploring that project, which the demo
// prints and a test asks to measure how often the gateway refuses them.
import { parseConsentTerms } from '../../consent/duo/parse-terms.ts';
import { join } from 'node:path';
import type { CohortQuery, ProjectProposal } from '../../schemas/research.ts';
import type { ResearchCaller } from '../../research-gateway/ports.ts';
import type { ProjectView } from '../../research-gateway/projects/project-views.ts';
import { sexBySample, writeSyntheticVcf, writeTargetsBed, type SyntheticPatient } from './synthetic/index.ts';
import { ingestVcf, type IngestReport } from '../ingest/ingest-vcf.ts';
import type { Vault } from '../store/vault.ts';
import type { VaultService } from '../service/open-service.ts';

export const RESEARCH_COHORT_PATIENTS = 200;
/** chr17 holds BRCA1 and TP53; a few thousand sites per sample keep the demo quick */
export const RESEARCH_COHORT_SHAPE = { variantsPerSample: 4_000, build: 'GRCh38' as const, chromosomes: ['chr17'] };

const GRU = ['DUO:0000042'];
const HMB = ['DUO:0000006'];
/** disease-specific: breast cancer (DOID:1612) */
const DS_BREAST = ['DUO:0000007', 'DOID:1612'];
/** health research, collaboration with the data's providers required: DUO matching sends it to review */
const HMB_COL = ['DUO:0000006', 'DUO:0000020'];

/**
 * The research consent of the i-th cohort patient: most general research use, some health
 * research only, a few disease-specific or with a collaboration requirement, a few none at all.
 */
export function demoResearchConsent(index: number): string[] | null {
  const slot = index % 20;
  if (slot < 13) return GRU;
  if (slot < 16) return HMB;
  if (slot === 16) return DS_BREAST;
  if (slot < 19) return HMB_COL;
  return null;
}

/** The demo project: hereditary cancer genes, health research on cancer (DOID:162). */
export function demoProposal(start: string, end: string): ProjectProposal {
  return {
    title: 'Hereditary cancer genes in the exome cohort', purpose: ['DUO:0000007', 'DOID:162'], forProfit: false, commercial: false,
    sensitive: [], commitments: ['publication'], irb: 'IRB-DEMO-001', country: 'US', members: [], level: 'records', start, end,
  };
}

/** Writes and ingests the research cohort's exomes into `vault` (opened for writing). */
export async function ingestResearchCohort(vault: Vault, workDir: string, people: readonly SyntheticPatient[], seed: number): Promise<IngestReport> {
  const vcf = join(workDir, 'research-cohort.vcf.gz');
  const bed = join(workDir, 'research-cohort.targets.bed');
  const shape = { ...RESEARCH_COHORT_SHAPE, seed };
  await writeSyntheticVcf(vcf, { ...shape, samples: people.map((p) => p.sampleName), sexes: sexBySample(people), gzip: 'bgzf', compressionLevel: 1 });
  await writeTargetsBed(bed, shape);
  return ingestVcf(vault, vcf, { map: new Map(people.map((p) => [p.sampleName, p.mrn])), targets: bed });
}

/** Records each cohort patient's research consent, as the counsellor would from the signed form. */
export async function grantDemoResearchConsents(service: VaultService, patientIds: readonly string[], counselorId: string): Promise<void> {
  for (const [i, patientId] of patientIds.entries()) {
    const scope = demoResearchConsent(i);
    if (!scope) continue;
    await service.consents.grant({
      patientId, directive: { kind: 'research_use', status: 'consented', scope: parseConsentTerms(scope.join(' ')) },
      recordedBy: { accountId: counselorId, role: 'genetic_counselor' }, evidence: { reference: `demo-research-form-${i + 1}` },
    });
  }
}

export interface DemoProject {
  project: ProjectView;
  /** patients DUO matching sent to review, which the board left out (undecided) */
  awaitingReview: number;
}

/** The researcher proposes, the board looks at the review groups and approves (leaving them out). */
export async function openDemoProject(service: VaultService, researcher: ResearchCaller, board: ResearchCaller, today: string): Promise<DemoProject> {
  const end = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const proposed = await service.research.propose(researcher, demoProposal(today, end));
  const seen = await service.research.project(board, proposed.projectId);
  const awaitingReview = (seen.reviewGroups ?? []).reduce((n, g) => n + g.patients, 0);
  const project = await service.research.decide(board, proposed.projectId, { decision: 'approve', reason: 'demo: IRB approval on file, consents match, cohort-level answers only' });
  return { project, awaitingReview };
}

/** A question as a researcher sends it: a cohort query, or a Beacon query string. */
export type TypicalQuestion = { kind: 'cohort'; query: CohortQuery } | { kind: 'beacon'; search: string };

/**
 * The research questions the demo prints for a new user to try, in the order printed (each a
 * copy-paste `curl`; the aggregate is printed twice, the second time asking for Arrow): chosen so
 * that, asked in this order on the fresh project, none is refused and the records answer lists rows.
 */
export function printedQuestions(): TypicalQuestion[] {
  return [
    { kind: 'cohort', query: { level: 'count', variant: { gene: 'BRCA1' }, sex: 'female', assembly: 'GRCh38' } },
    { kind: 'cohort', query: { level: 'aggregate', variant: { gene: 'TP53' }, assembly: 'GRCh38' } },
    { kind: 'cohort', query: { level: 'records', variant: { gene: 'TP53' }, assembly: 'GRCh38' } },
    { kind: 'beacon', search: 'geneId=TP53&assemblyId=GRCh38&requestedGranularity=count' },
  ];
}

/**
 * A researcher's first session on the project: the size of the consented cohort and its main
 * subgroups, then the cancer genes, significance and zygosity, aggregates, a few Beacon
 * questions, and some questions asked twice (as people do).
 */
export function typicalQuestions(): TypicalQuestion[] {
  const cohort = (query: Omit<CohortQuery, 'assembly'>): TypicalQuestion => ({ kind: 'cohort', query: { ...query, assembly: 'GRCh38' } });
  const beacon = (search: string): TypicalQuestion => ({ kind: 'beacon', search: `${search}&assemblyId=GRCh38` });
  const questions: TypicalQuestion[] = [
    cohort({ level: 'count' }),
    cohort({ level: 'count', sex: 'female' }),
    cohort({ level: 'count', sex: 'male' }),
    cohort({ level: 'count', age: { min: 40, max: 69 } }),
    cohort({ level: 'count', age: { min: 18, max: 39 } }),
    cohort({ level: 'count', variant: { gene: 'BRCA1' } }),
    cohort({ level: 'count', variant: { gene: 'TP53' } }),
    cohort({ level: 'count', variant: { gene: 'BRCA1' }, sex: 'female' }),
    cohort({ level: 'count', variant: { gene: 'BRCA1' }, significance: ['pathogenic', 'likely_pathogenic'] }),
    cohort({ level: 'count', variant: { gene: 'TP53' }, significance: ['pathogenic', 'likely_pathogenic'] }),
    cohort({ level: 'count', variant: { gene: 'BRCA1' }, zygosity: ['hom_alt'] }),
    cohort({ level: 'count', variant: { region: '17:43044295-43125483' } }),
    cohort({ level: 'count', conditions: ['C50'] }),
    cohort({ level: 'count', conditions: ['E11'] }),
    cohort({ level: 'aggregate', variant: { gene: 'BRCA1' } }),
    cohort({ level: 'aggregate', variant: { gene: 'TP53' } }),
    cohort({ level: 'aggregate', variant: { gene: 'BRCA1' }, sex: 'female' }),
    beacon('geneId=BRCA1&requestedGranularity=boolean'),
    beacon('geneId=TP53&requestedGranularity=count'),
    beacon('referenceName=17&start=43044294&end=43125483&requestedGranularity=count'),
    cohort({ level: 'records', variant: { gene: 'BRCA1' }, significance: ['pathogenic', 'likely_pathogenic'] }),
  ];
  // asked again: the same cohort gets the same answer, free and unrefused
  return [...questions, questions[0]!, questions[5]!, questions[14]!];
}
