import { configFrom, requireFlag, stringFlag, withVault, CommandFailure, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { formatJson, formatTsv } from '../format-rows.ts';

import type { openQueries as OpenQueries, PatientQueries, QueryNote } from '../../store/patient-queries.ts';
import type { AlleleCountsAnswer, CarriersAnswer } from '../../store/cohort-queries.ts';
import type { Vault } from '../../store/vault.ts';
import type { Config } from '../../../schemas/config.ts';
import { withHostAudit } from '../host-audit.ts';
import { PATIENT_VARIANT_COLUMNS } from '../../store/patient-variant.ts';
import { ALLELE_COUNT_COLUMNS, CARRIER_COLUMNS } from '../../store/cohort-columns.ts';

// The query engine (DuckDB) loads only for the commands that query.
const openQueries: typeof OpenQueries = async (vault, config) => (await import('../../store/patient-queries.ts')).openQueries(vault, config);

export const variantsHelp = `genovault variants --data-dir D --patient MRN [--region chr17:43044295-43125483] [--gene BRCA1]
                   [--significance pathogenic,likely_pathogenic] [--build GRCh38] [--format json|tsv]
  Prints the patient's variants, one row per alternate allele carried, on one reference build: the
  patient's only build, or --build when the samples are on several. A region or gene returns every
  variant whose REF overlaps it (as bcftools view -r). Regions accept 17:... and chr17:...; genes
  accept HGNC, previous and alias symbols. Notes (no samples, no ClinVar annotation...) go to stderr.
  Every run is recorded in the audit log as the operating-system user (a run that cannot be does not run).`;

export const cohortHelp = `genovault carriers --data-dir D --variant chr17:43045712:C:T [--build GRCh38] [--format json|tsv]
genovault allele-counts --data-dir D --region chr17:43044295-43125483 [--build GRCh38] [--format json|tsv]
  Cohort queries across every sample of one build in the vault (operator use; the research gateway
  applies consent). Only samples whose assay covered the position are counted; stderr says how many
  were counted and how many were left out, and why. Every run is recorded in the audit log as the
  operating-system user.`;

function formatOf(flags: Flags): 'json' | 'tsv' {
  const format = stringFlag(flags, 'format') ?? 'tsv';
  if (format !== 'json' && format !== 'tsv') throw new UsageError('--format must be json or tsv');
  return format;
}

function printNotes(io: CommandIo, notes: readonly QueryNote[]): void {
  for (const n of notes) io.err(`note: ${n.message}`);
}

export async function variantsCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const mrn = requireFlag(flags, 'patient');
  const format = formatOf(flags);
  const significance = stringFlag(flags, 'significance');
  const query = {
    region: stringFlag(flags, 'region'),
    gene: stringFlag(flags, 'gene'),
    significance: significance ? significance.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    build: stringFlag(flags, 'build'),
  };
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const patientId = vault.catalog.patientByMrn(mrn)?.patientId ?? null;
      const act = { command: 'variants', action: 'read', resource: 'variants', patientId } as const;
      const answer = await audit.attempt(act, async () => {
        if (patientId === null) throw new CommandFailure('unknown_patient', 'no patient with that MRN in this vault');
        const found = await withQueries(vault, config, (queries) => queries.variantsOfPatient(patientId, query));
        return { value: found, entries: [{ act, counts: { rows: found.variants.length } }] };
      });
      printNotes(io, answer.notes);
      io.out(format === 'json' ? formatJson(answer) : formatTsv(answer.variants, PATIENT_VARIANT_COLUMNS));
    }),
  );
  return 0;
}

/** Opens the query engine for `fn` and closes it again. */
async function withQueries<T>(vault: Vault, config: Config, fn: (queries: PatientQueries) => Promise<T>): Promise<T> {
  const queries = await openQueries(vault, config);
  try {
    return await fn(queries);
  } finally {
    await queries.close();
  }
}

/** A cohort query run on the host: audited with the number of rows it answered, then printed. */
async function cohortCommand(flags: Flags, io: CommandIo, command: 'carriers' | 'allele-counts'): Promise<number> {
  const config = configFrom(flags, io.env);
  const subject = requireFlag(flags, command === 'carriers' ? 'variant' : 'region');
  const format = formatOf(flags);
  const options = { build: stringFlag(flags, 'build') };
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const act = { command, action: 'read', resource: 'variants' } as const;
      const answer = await audit.attempt(act, async () => {
        const found = await withQueries<CarriersAnswer | AlleleCountsAnswer>(vault, config, (queries) => (command === 'carriers' ? queries.carriers(subject, options) : queries.alleleCounts(subject, options)));
        const rows = 'carriers' in found ? found.carriers.length : found.variants.length;
        return { value: found, entries: [{ act, counts: { rows } }] };
      });
      const { otherBuild, noRecordedBuild, notCovering } = answer.samplesLeftOut;
      io.err(`samples counted: ${answer.samplesQueried} (${answer.build ?? 'no build'}); left out: ${otherBuild} on another build, ${noRecordedBuild} with no recorded build, ${notCovering} not covering`);
      printNotes(io, answer.notes);
      if (format === 'json') io.out(formatJson(answer));
      else if ('carriers' in answer) io.out(formatTsv(answer.carriers, CARRIER_COLUMNS));
      else io.out(formatTsv(answer.variants, ALLELE_COUNT_COLUMNS));
    }),
  );
  return 0;
}

export const carriersCommand = (flags: Flags, io: CommandIo): Promise<number> => cohortCommand(flags, io, 'carriers');
export const alleleCountsCommand = (flags: Flags, io: CommandIo): Promise<number> => cohortCommand(flags, io, 'allele-counts');
