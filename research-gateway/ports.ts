// What the gateway needs from the vault, behind small interfaces: the vault owns the stores, the
// keys and the clock, and hands the gateway only this. Nothing here names a vault type.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConsentScope } from '../schemas/duo.ts';
import type { CohortIndexPort } from '../schemas/cohort-index.ts';
import type { ProjectEvent } from './projects/project-events.ts';

/** Where a cohort query looks: a gene (resolved in the query's build by the source), a region, or one allele. */
export type CohortLocus =
  | { kind: 'gene'; symbol: string }
  /** 1-based, inclusive; chrom as the user wrote it (17, chr17) */
  | { kind: 'region'; chrom: string; start: number; end: number }
  | { kind: 'allele'; chrom: string; pos: number; ref: string; alt: string };

export interface CohortCallsRequest {
  /** the build every sample read must be on (the gateway picks it before asking) */
  assembly: string;
  /** absent: the samples only, no calls (a purely clinical question) */
  locus?: CohortLocus;
  /** read only these patients' samples: the consented cohort */
  patientIds: ReadonlySet<string>;
}

/** One alternate allele one sample carries. */
export interface CohortCall {
  sampleId: string;
  pos: number;
  ref: string;
  alt: string;
  /** het, hom_alt, hemizygous or missing (this allele beside a missing one) */
  zygosity: string;
  gene: string | null;
  /** the ClinVar significance value as the VCF wrote it */
  clnsig: string | null;
}

/** How the assays behind an answer's samples tell where they were covered. */
export type CoverageMethod = 'whole_genome' | 'targets_bed' | 'gvcf_blocks';

export interface CohortCalls {
  /** the canonical build name (GRCh38) */
  build: string;
  /** the locus's chromosome, normalised (chr17); null without a locus */
  chrom: string | null;
  /** the samples read: the asked patients' samples on the build, and how each records its coverage */
  samples: { sampleId: string; patientId: string; coverage: CoverageMethod }[];
  calls: CohortCall[];
  /** per position of a call, the samples read whose assay did not cover it (a carrier always covers) */
  notCovering: { pos: number; sampleIds: string[] }[];
}

/** The cohort's genomic data: the vault's partitions today, a research index later. */
export interface CohortDataSource {
  /** the builds the samples of these patients are on (names as recorded) */
  buildsOf(patientIds: ReadonlySet<string>): string[];
  /** the canonical name of a build as a user wrote it (hg38 → GRCh38), or null when unknown */
  canonicalBuild(name: string): string | null;
  calls(request: CohortCallsRequest): Promise<CohortCalls>;
  /**
   * A value that stays the same (===) while nothing this source answers changes, and differs after
   * any change: the gateway then reuses what it derived from the source. Absent: read afresh every time.
   */
  version?(): unknown;
}

/** A research consent as the ledger holds it now; `scope: null` when it cannot be read (counted as no consent). */
export interface ResearchConsentEntry {
  patientId: string;
  scope: ConsentScope | null;
}

/** The patients' current research consents, as they stand at every query (a withdrawal counts at once). */
export interface ResearchConsentSource {
  currentResearchConsents(): Iterable<ResearchConsentEntry>;
  /**
   * A value that stays the same (===) while nothing this source answers changes, and differs after
   * any change: the gateway then reuses what it derived from the source. Absent: read afresh every time.
   */
  version?(): unknown;
}

/** What the gateway may know of a patient's record: never a name, MRN or full date. */
export interface PatientDemographics {
  patientId: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  birthYear: number | null;
  /** the 5-digit ZIP code; the gateway generalises it before anything leaves */
  zip: string | null;
  /** condition codes (ICD-10, HPO) */
  conditions: string[];
}

export interface DemographicsSource {
  demographics(patientIds: Iterable<string>): PatientDemographics[];
  /**
   * A value that stays the same (===) while nothing this source answers changes, and differs after
   * any change: the gateway then reuses what it derived from the source. Absent: read afresh every time.
   */
  version?(): unknown;
}

/** One audit entry the gateway asks the vault to record; ids, codes and sizes only. */
export interface ResearchAuditEntry {
  requestId: string;
  /** the caller's `request`, passed back */
  request?: unknown;
  actorId: string;
  actorRoles: readonly string[];
  /** research.project.propose, research.project.decide, research.query, research.release, beacon.query */
  action: string;
  resource: 'research_project' | 'cohort';
  projectId: string | null;
  decision: 'success' | 'failure';
  /** `answered`, or the refusal's code */
  outcome: string;
  /** true cohort size, epsilon charged (in thousandths), rows released */
  counts?: Record<string, number>;
  /** for the ethics board's review: every record-level release, every disclosure refusal */
  flagged?: boolean;
}

export type ResearchAuditSink = (entry: ResearchAuditEntry) => Promise<void>;

/** The vault's authorize(): decides and audits one role-level permission (no patient named). */
export type ResearchAuthorize = (
  caller: ResearchCaller,
  intent: { resource: 'research_project' | 'cohort'; action: 'create' | 'read' | 'update'; purpose: 'research' | 'operations' },
) => Promise<boolean>;

export interface ResearchCaller {
  accountId: string;
  roles: readonly string[];
  /** the server's request id: the key of the audit entries */
  requestId: string;
  /** the vault's own record of the request (origin fields for its audit); the gateway only passes it back */
  request?: unknown;
}

/** One stored project event, as the vault's sealed log returns it. */
export interface StoredProjectEvent {
  seq: number;
  /** ISO time the log committed it */
  at: string;
  body: ProjectEvent;
}

/** The project log: append-only, hash-chained and sealed by the vault (its SealedAppendLog fits as it is). */
export interface ProjectEventStore {
  append(event: ProjectEvent): Promise<StoredProjectEvent>;
  entries(): AsyncIterable<StoredProjectEvent>;
}

export interface ResearchGatewayDeps {
  store: ProjectEventStore;
  cohortData: CohortDataSource;
  /**
   * The vault's cohort index, when it keeps one: count, aggregate, records and Beacon answers read
   * it for a build it holds every sample of (`builds()`), asking only for the consented samples
   * that pass the clinical filters; otherwise they read every such sample's calls from `cohortData`.
   */
  cohortIndex?: CohortIndexPort | undefined;
  consents: ResearchConsentSource;
  demographics: DemographicsSource;
  audit: ResearchAuditSink;
  authorize: ResearchAuthorize;
  /** whether an account may be a project member (an enabled researcher) */
  isResearcher(accountId: string): boolean;
  /** whether the disease ontology knows a DOID or MONDO id */
  knowsDisease(id: string): boolean;
  /**
   * Takes in what other processes committed (an ingest, an erasure) before an answer is built:
   * called only for a query that passed the policy and its project's checks.
   */
  catchUp?: () => Promise<void>;
  /** an in-memory DuckDB connection that never spills to disk, for the compiled cohort SQL */
  sql: DuckDBConnection;
  /** 32-byte keys from the vault's named keys: never logged, never answered */
  keys: { pseudonyms: Uint8Array; noise: Uint8Array };
  now: () => number;
}

/** The fields of an audit entry that name who asked, and in which request. */
export function callerFields(caller: ResearchCaller): Pick<ResearchAuditEntry, 'requestId' | 'request' | 'actorId' | 'actorRoles'> {
  return { requestId: caller.requestId, request: caller.request, actorId: caller.accountId, actorRoles: caller.roles };
}
