// A service world (test/e2e/service-world.ts) with a research cohort: synthetic patients with
// exome calls on chr17 (BRCA1 and TP53 among them, GRCh38 unless the test puts some on GRCh37, a
// targets BED), their clinical records, and research consents in the consent ledger as the test
// chooses. The vault's own patients A and
// B stay as they are (no research consent).
import { parseConsentTerms } from '../../../consent/duo/parse-terms.ts';
import { join } from 'node:path';
import { buildWorld, type World } from '../../e2e/service-world.ts';
import { generatePatients, sexBySample, writeSyntheticVcf, writeTargetsBed, type SyntheticPatient } from '../../../vault/demo/synthetic/index.ts';
import { ingestVcf } from '../../../vault/ingest/ingest-vcf.ts';
import type { VaultService } from '../../../vault/service/open-service.ts';
import type { Vault } from '../../../vault/store/vault.ts';

export const COHORT_SEED = 4_242;
const SHAPE = { seed: COHORT_SEED, variantsPerSample: 20_000, build: 'GRCh38' as const, chromosomes: ['chr17'] };
const COUNSELOR_ACCOUNT = 'acc_00000000000000c0';

export interface CohortPerson {
  person: SyntheticPatient;
  patientId: string;
}

export interface ResearchWorld extends World {
  cohort: CohortPerson[];
}

type CohortBuild = 'GRCh38' | 'GRCh37';

/** Writes and ingests synthetic exomes (chr17 only) into the vault being built, one VCF per build. */
async function ingestCohort(root: string, people: readonly SyntheticPatient[], buildOf: (index: number) => CohortBuild, writer: Vault): Promise<void> {
  for (const build of ['GRCh38', 'GRCh37'] as const) {
    const onBuild = people.filter((_, i) => buildOf(i) === build);
    if (onBuild.length === 0) continue;
    const shape = { ...SHAPE, build };
    const vcf = join(root, `cohort-${build}.vcf.gz`);
    const bed = join(root, `cohort-${build}.targets.bed`);
    await writeSyntheticVcf(vcf, { ...shape, samples: onBuild.map((p) => p.sampleName), sexes: sexBySample(onBuild), gzip: 'bgzf', compressionLevel: 1 });
    await writeTargetsBed(bed, shape);
    await ingestVcf(writer, vcf, { map: new Map(onBuild.map((p) => [p.sampleName, p.mrn])), targets: bed, workers: 0 });
  }
}

/** Grants (or replaces) a patient's research consent: DUO terms, as a counsellor records them from a signed form. */
export async function grantResearchConsent(service: VaultService, patientId: string, scope: string[]): Promise<void> {
  const [current] = service.consents.current(patientId).directives.filter((d) => d.directive.kind === 'research_use' && d.revokedAt === undefined);
  const recordedBy = { accountId: COUNSELOR_ACCOUNT, role: 'genetic_counselor' as const };
  const evidence = { reference: `form-${patientId}` };
  const directive = { kind: 'research_use' as const, status: 'consented' as const, scope: parseConsentTerms(scope.join(' ')) };
  if (current) await service.consents.amend({ patientId, directiveId: current.directiveId, replaces: current.version, directive, recordedBy, evidence });
  else await service.consents.grant({ patientId, directive, recordedBy, evidence });
}

export async function withdrawResearchConsent(service: VaultService, patientId: string): Promise<void> {
  const [current] = service.consents.current(patientId).directives.filter((d) => d.directive.kind === 'research_use' && d.revokedAt === undefined);
  if (!current) return;
  const directive = { kind: 'research_use' as const, status: 'withdrawn' as const, mode: 'stop_future_use' as const };
  await service.consents.amend({ patientId, directiveId: current.directiveId, replaces: current.version, directive, recordedBy: { accountId: COUNSELOR_ACCOUNT, role: 'genetic_counselor' }, evidence: { reference: `withdrawal-${patientId}` } });
}

/** `consentOf(i)`: the DUO terms the i-th cohort patient consented to, or null for none; `buildOf(i)`: the build of their exome (GRCh38 by default). */
export async function buildResearchWorld(root: string, options: { size: number; consentOf: (index: number, person: SyntheticPatient) => string[] | null; buildOf?: (index: number) => CohortBuild; masterKeyFile?: boolean }): Promise<ResearchWorld> {
  const people = generatePatients(options.size, COHORT_SEED);
  const world = await buildWorld(root, { https: true, ...(options.masterKeyFile && { masterKeyFile: true }), moreData: (writer) => ingestCohort(root, people, options.buildOf ?? (() => 'GRCh38'), writer) });
  const cohort: CohortPerson[] = [];
  for (const [i, person] of people.entries()) {
    const patientId = world.service.vault.catalog.patientByMrn(person.mrn)!.patientId;
    const { mrn, givenName, familyName, birthDate, sex, zip } = person;
    const conditions = person.conditions.map((c) => ({ system: 'icd10' as const, code: c.code }));
    await world.service.clinical.recordPatient(patientId, { mrn, givenName, familyName, birthDate, sex, zip, conditions }, 'setup');
    const scope = options.consentOf(i, person);
    if (scope) await grantResearchConsent(world.service, patientId, scope);
    cohort.push({ person, patientId });
  }
  return { ...world, cohort };
}
