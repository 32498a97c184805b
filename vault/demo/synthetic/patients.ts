// Synthetic patients for demos, tests and benchmarks: plausible demographics and conditions,
// drawn from a seed so the same seed always gives the same people. None of them is real.
import { Prng } from './prng.ts';
import { SyntheticDataError } from './synthetic-error.ts';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './name-lists.ts';
import { CONDITIONS, type Condition } from './conditions.ts';
import { COMMON_ZIP3, LOW_POPULATION_ZIP3 } from './zip-prefixes.ts';

export type Sex = 'female' | 'male';

export interface SyntheticPatient {
  /** always true: marks the record as generated, never a real person */
  synthetic: true;
  /** 'MRN' followed by 7 digits, unique within one generated population */
  mrn: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** 5-digit US ZIP code */
  zip: string;
  conditions: Condition[];
  /** the sample column this patient's genome gets in a generated VCF */
  sampleName: string;
}

export interface PatientOptions {
  /** the day ages are counted to (YYYY-MM-DD); fixed by default so output never depends on the clock */
  asOf?: string;
}

/** Share of patients placed in a HIPAA low-population ZIP prefix, and share aged 90 or more. */
const LOW_POPULATION_ZIP_SHARE = 0.1;
const OVER_89_SHARE = 0.06;
const MAX_PATIENTS = 1_000_000;
const DEFAULT_AS_OF = '2025-01-01';

export function generatePatients(count: number, seed: number, options: PatientOptions = {}): SyntheticPatient[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_PATIENTS) {
    throw new SyntheticDataError('bad_option', 'count', `must be an integer from 0 to ${MAX_PATIENTS}`);
  }
  if (!Number.isSafeInteger(seed)) throw new SyntheticDataError('bad_option', 'seed', 'must be a safe integer');
  const asOf = parseDay(options.asOf ?? DEFAULT_AS_OF);
  const rng = new Prng(seed, 'patients');
  const tag = new Prng(seed, 'sample-tag').nextUint32().toString(16).padStart(8, '0').slice(0, 4);
  const mrns = new Set<string>();
  const patients: SyntheticPatient[] = [];
  for (let i = 0; i < count; i++) {
    const sex: Sex = rng.chance(0.5) ? 'female' : 'male';
    patients.push({
      synthetic: true,
      mrn: uniqueMrn(rng, mrns),
      givenName: rng.pick(sex === 'female' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES),
      familyName: rng.pick(FAMILY_NAMES),
      birthDate: birthDate(rng, asOf),
      sex,
      zip: zipCode(rng),
      conditions: conditions(rng),
      sampleName: `SYN-${tag}-${String(i + 1).padStart(6, '0')}`,
    });
  }
  return patients;
}

/** Sample name to sex, as writeSyntheticVcf wants it for chrX/chrY ploidy. */
export function sexBySample(patients: readonly SyntheticPatient[]): Record<string, Sex> {
  return Object.fromEntries(patients.map((p) => [p.sampleName, p.sex]));
}

/** Whole years from birthDate to asOf (YYYY-MM-DD both). */
export function ageOn(birthDate: string, asOf: string): number {
  const b = parseDay(birthDate);
  const a = parseDay(asOf);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  const beforeBirthday = a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

function uniqueMrn(rng: Prng, taken: Set<string>): string {
  for (;;) {
    const mrn = `MRN${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
    if (!taken.has(mrn)) {
      taken.add(mrn);
      return mrn;
    }
  }
}

/** Ages 0-89 evenly, plus a deliberate share aged 90-100 (Safe Harbor groups those). */
function birthDate(rng: Prng, asOf: Date): string {
  const age = rng.chance(OVER_89_SHARE) ? rng.int(90, 100) : rng.int(0, 89);
  const anniversary = new Date(Date.UTC(asOf.getUTCFullYear() - age, asOf.getUTCMonth(), asOf.getUTCDate()));
  // any day in the year up to that anniversary keeps the age exact
  const born = new Date(anniversary.getTime() - rng.int(0, 364) * 86_400_000);
  return born.toISOString().slice(0, 10);
}

function zipCode(rng: Prng): string {
  const prefix = rng.chance(LOW_POPULATION_ZIP_SHARE) ? rng.pick(LOW_POPULATION_ZIP3) : rng.pick(COMMON_ZIP3);
  return `${prefix}${String(rng.int(0, 99)).padStart(2, '0')}`;
}

function conditions(rng: Prng): Condition[] {
  const howMany = rng.pick([0, 1, 1, 2, 2, 3]);
  const chosen = new Set<Condition>();
  while (chosen.size < howMany) chosen.add(rng.pick(CONDITIONS));
  return [...chosen].map((c) => ({ ...c }));
}

function parseDay(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new SyntheticDataError('bad_option', 'asOf', 'must be a calendar date written YYYY-MM-DD');
  }
  return date;
}
