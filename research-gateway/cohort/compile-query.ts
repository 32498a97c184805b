// A cohort query compiled to parameterised SQL over the query tables (cohort-tables.ts). Every
// value the caller gave reaches DuckDB as a bound parameter; the SQL text is made only of the
// fixed fragments below. The consent filter comes first in every statement: a row of a patient
// whose current research consent does not match the project (or whose review group the board has
// not included) is never read, whatever the rest of the query asks.
import { INTEGER, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export interface CohortFilters {
  /** the review groups the ethics board included for the project */
  includedReviewGroups: readonly string[];
  sex?: string | undefined;
  age?: { min?: number | undefined; max?: number | undefined } | undefined;
  conditions?: readonly string[] | undefined;
  allele?: { pos: number; ref: string; alt: string } | undefined;
  significance?: readonly string[] | undefined;
  zygosity?: readonly string[] | undefined;
}

export interface CompiledStatement {
  sql: string;
  values: DuckDBValue[];
  types: DuckDBType[];
}

class Parameters {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  bind(value: DuckDBValue, type: DuckDBType): string {
    this.values.push(value);
    this.types.push(type);
    return `$${this.values.length}`;
  }

  texts(values: readonly string[]): string {
    return this.bind(listValue([...values]), LIST(VARCHAR));
  }
}

/** Permitted, or sent to review and included by the board: the one consent rule, in SQL. */
function consentCondition(p: Parameters, includedReviewGroups: readonly string[]): string {
  return `(c.decision = 'permit' OR (c.decision = 'review' AND list_contains(${p.texts(includedReviewGroups)}, c.review_group)))`;
}

function compile(filters: CohortFilters): { p: Parameters; with: string } {
  const p = new Parameters();
  const where = [consentCondition(p, filters.includedReviewGroups)];
  if (filters.sex !== undefined) where.push(`p.sex = ${p.bind(filters.sex, VARCHAR)}`);
  if (filters.age?.min !== undefined) where.push(`p.age >= ${p.bind(filters.age.min, INTEGER)}`);
  if (filters.age?.max !== undefined) where.push(`p.age <= ${p.bind(filters.age.max, INTEGER)}`);
  if (filters.conditions) {
    const codes = p.texts(filters.conditions);
    // a recorded C50.9 matches an asked C50 or C50.9
    where.push(`len(list_filter(p.conditions, x -> list_contains(${codes}, x) OR list_contains(${codes}, split_part(x, '.', 1)))) > 0`);
  }
  const hit: string[] = [];
  if (filters.allele) {
    hit.push(`k.pos = ${p.bind(filters.allele.pos, INTEGER)}`, `k.ref = ${p.bind(filters.allele.ref, VARCHAR)}`, `k.alt = ${p.bind(filters.allele.alt, VARCHAR)}`);
  }
  if (filters.significance) hit.push(`list_has_any(k.significance, ${p.texts(filters.significance)})`);
  if (filters.zygosity) hit.push(`list_contains(${p.texts(filters.zygosity)}, k.zygosity)`);
  const cohort = `cohort AS (
      SELECT s.sample_id, s.patient_id FROM rc_sample s
      JOIN rc_consent c ON c.patient_id = s.patient_id
      LEFT JOIN rc_patient p ON p.patient_id = s.patient_id
      WHERE ${where.join(' AND ')})`;
  const hits = `hits AS (
      SELECT co.patient_id, k.pos, k.ref, k.alt, k.zygosity, k.copies FROM rc_call k
      JOIN cohort co ON co.sample_id = k.sample_id
      ${hit.length > 0 ? `WHERE ${hit.join(' AND ')}` : ''})`;
  return { p, with: `WITH ${cohort}, ${hits}` };
}

export interface CompiledCohortQuery {
  /** patient_id: the consented patients with a sample read who match the clinical filters */
  base: CompiledStatement;
  /** patient_id, pos, ref, alt, copies, zygosity: each patient's matching alleles (one row per patient and allele: the call with most copies, then the first zygosity as text) */
  hits: CompiledStatement;
  /** pos, patient_id: patients of the base none of whose samples covered a call position */
  notCovering: CompiledStatement;
}

export function compileCohortQuery(filters: CohortFilters): CompiledCohortQuery {
  const statement = (select: string): CompiledStatement => {
    const { p, with: cte } = compile(filters);
    return { sql: `${cte}\n${select}`, values: p.values, types: p.types };
  };
  return {
    base: statement('SELECT DISTINCT patient_id FROM cohort ORDER BY patient_id'),
    hits: statement(`SELECT patient_id, pos, ref, alt, max(copies)::INTEGER AS copies, first(zygosity ORDER BY copies DESC, zygosity) AS zygosity
      FROM hits GROUP BY patient_id, pos, ref, alt ORDER BY pos, ref, alt, patient_id`),
    notCovering: statement(`, samples AS (SELECT patient_id, count(DISTINCT sample_id) AS n FROM cohort GROUP BY patient_id),
      uncovered AS (
        SELECT co.patient_id, u.pos, count(DISTINCT co.sample_id) AS n FROM rc_uncovered u
        JOIN cohort co ON co.sample_id = u.sample_id GROUP BY co.patient_id, u.pos)
      SELECT u.pos, u.patient_id FROM uncovered u JOIN samples s ON s.patient_id = u.patient_id WHERE u.n = s.n ORDER BY u.pos, u.patient_id`),
  };
}

/** The consent filter alone, over every patient in rc_consent: what the property test compares with per-patient matching. */
export function compileConsentFilter(includedReviewGroups: readonly string[]): CompiledStatement {
  const p = new Parameters();
  return {
    sql: `SELECT c.patient_id FROM rc_consent c WHERE ${consentCondition(p, includedReviewGroups)} ORDER BY c.patient_id`,
    values: p.values,
    types: p.types,
  };
}
