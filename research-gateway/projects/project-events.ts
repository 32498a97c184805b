// The project log's events. A project is proposed, then decided on by the ethics board (approve,
// reject, suspend, reinstate, review_groups; each with a reason); every query it makes is recorded with the true
// size and exact membership of every patient set it described (what differencing checks against; each distinct
// set recorded once per project and named by its number after) and the epsilon it cost; every record-level
// release is frozen as a manifest. Nothing is overwritten: a project's
// state is derived by replaying its events.
import type { DuoVersions } from '../../schemas/duo.ts';
import type { ProjectDecisionKind, ProjectProposal, ResearchLevel } from '../../schemas/research.ts';

export type QueryKind = 'count' | 'aggregate' | 'records' | 'beacon_boolean' | 'beacon_count';

export interface ProjectProposed {
  type: 'project.proposed';
  projectId: string;
  by: string;
  at: string;
  proposal: ProjectProposal;
}

export interface ProjectDecided {
  type: 'project.decided';
  projectId: string;
  by: string;
  at: string;
  decision: ProjectDecisionKind;
  reason: string;
  /** approve, review_groups: whether each group of review consents named takes part (others keep their earlier choice) */
  reviewGroups?: Record<string, 'include' | 'exclude'>;
  /** approve: the budget (total epsilon) of this approval */
  budget?: number;
  /** approve: the last day of this approval (a renewal moves it) */
  end?: string;
  /** the DUO and disease-ontology releases the consents were matched under (absent in older logs) */
  vocabularies?: DuoVersions;
}

export interface QueryRecorded {
  type: 'query.recorded';
  projectId: string;
  queryId: string;
  by: string;
  at: string;
  kind: QueryKind;
  level: ResearchLevel;
  /** a keyed hash of the query as asked: what the repeat lockout counts */
  fingerprint: string;
  /** `answered`, or the refusal's code */
  outcome: string;
  /** the true number of patients the answer rests on; null when refused before the data was read */
  trueSize: number | null;
  /**
   * answered only: every set of patients the answer described (its cohort, each shown allele's
   * carriers...), as the numbers of this project's CohortSets: what later answers' sets are compared with
   */
  sets?: number[];
  /** answered, in logs written before `sets`: the same sets written out, each sorted */
  patientSets?: string[][];
  /** answered, in logs written before `patientSets`: the one cohort the answer rested on */
  cohort?: string[];
  /** answered only: the keyed hashes of the statistics released (re-releasing one costs nothing) */
  statistics?: string[];
  /** answered only: the patients taking part when it was answered (a CohortUniverse of this project) */
  universe?: number;
  epsilon: number;
  /** answered: the DUO and disease-ontology releases its consents were matched under (absent in older logs) */
  vocabularies?: DuoVersions;
}

/**
 * The patients taking part in a project (consent matching its purpose), recorded whenever it has
 * changed since the project's last query. Differencing compares cohorts only over the patients
 * taking part at both times: a consent given or withdrawn in between changes a cohort, but it is
 * the patient's doing, not the researcher's.
 */
export interface CohortUniverse {
  type: 'cohort.universe';
  projectId: string;
  universe: number;
  patients: string[];
  /** the universe's patients continue in the next entry of the same number (an entry holds at most 1 MiB) */
  more?: true;
}

/** Sets of patients an answer described that no earlier answer of the project did, each numbered and sorted; recorded before the query naming them. */
export interface CohortSets {
  type: 'cohort.sets';
  projectId: string;
  /** `more`: the set's patients continue in the next entry (an entry holds at most 1 MiB) */
  sets: { set: number; patients: string[]; more?: true }[];
}

export interface ReleaseManifest {
  releaseId: string;
  projectId: string;
  queryId: string;
  by: string;
  at: string;
  /** what was released: the query as asked, the number of records and the columns */
  what: { query: unknown; records: number; columns: string[] };
  /** SHA-256 of the records as canonical JSON (the same for a JSON and an Arrow answer) */
  sha256: string;
}

export interface ReleaseFrozen {
  type: 'release.frozen';
  manifest: ReleaseManifest;
}

export type ProjectEvent = ProjectProposed | ProjectDecided | QueryRecorded | CohortUniverse | CohortSets | ReleaseFrozen;
