import { configFrom, requireFlag, stringFlag, withVault, CommandFailure, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { formatRows } from '../format-rows.ts';

import type { openQueries as OpenQueries, PatientQueries } from '../../store/patient-queries.ts';
import type { Vault } from '../../store/vault.ts';
import type { Config } from '../../../schemas/config.ts';
import { withHostAudit } from '../host-audit.ts';
import { PATIENT_VARIANT_COLUMNS } from '../../store/patient-variant.ts';

// The query engine (DuckDB) loads only for the commands that query.
const openQueries: typeof OpenQueries = async (vault, config) => (await import('../../store/patient-queries.ts')).openQueries(vault, config);

export const variantsHelp = `genovault variants --data-dir D --patient MRN [--region chr17:43044295-43125483] [--gene BRCA1]
                   [--significance pathogenic,likely_pathogenic] [--format json|tsv]
  Prints the patient's variants, one row per alternate allele carried. Regions accept 17:... and chr17:...
  Every run is recorded in the audit log as the operating-system user (a run that cannot be does not run).`;

export const cohortHelp = `genovault carriers --data-dir D --variant chr17:43045712:C:T [--format json|tsv]
genovault allele-counts --data-dir D --region chr17:43044295-43125483 [--format json|tsv]
  Cohort queries across every sample in the vault (operator use; the research gateway applies consent).
  Every run is recorded in the audit log as the operating-system user.`;

function formatOf(flags: Flags): 'json' | 'tsv' {
  const format = stringFlag(flags, 'format') ?? 'tsv';
  if (format !== 'json' && format !== 'tsv') throw new UsageError('--format must be json or tsv');
  return format;
}

export async function variantsCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const mrn = requireFlag(flags, 'patient');
  const format = formatOf(flags);
  const significance = stringFlag(flags, 'significance');
  const filter = {
    region: stringFlag(flags, 'region'),
    gene: stringFlag(flags, 'gene'),
    significance: significance ? significance.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
  };
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const patientId = vault.catalog.patientByMrn(mrn)?.patientId ?? null;
      const act = { command: 'variants', action: 'read', resource: 'variants', patientId } as const;
      const rows = await audit.attempt(act, async () => {
        if (patientId === null) throw new CommandFailure('unknown_patient', 'no patient with that MRN in this vault');
        const found = await withQueries(vault, config, async (queries) => {
          if (filter.gene && queries.buildsOf(patientId).includes(null)) {
            io.err('warning: a sample of this patient has no reference build in its VCF header; gene coordinates are taken from GRCh38');
          }
          return queries.variantsOfPatient(patientId, filter);
        });
        return { value: found, entries: [{ act, counts: { rows: found.length } }] };
      });
      io.out(formatRows(rows, format, PATIENT_VARIANT_COLUMNS));
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
async function cohortCommand(flags: Flags, io: CommandIo, command: 'carriers' | 'allele-counts', query: (queries: PatientQueries) => Promise<Record<string, unknown>[]>): Promise<number> {
  const config = configFrom(flags, io.env);
  const format = formatOf(flags);
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const act = { command, action: 'read', resource: 'variants' } as const;
      const rows = await audit.attempt(act, async () => {
        const found = await withQueries(vault, config, query);
        return { value: found, entries: [{ act, counts: { rows: found.length } }] };
      });
      io.out(formatRows(rows, format));
    }),
  );
  return 0;
}

export function carriersCommand(flags: Flags, io: CommandIo): Promise<number> {
  const variant = requireFlag(flags, 'variant');
  return cohortCommand(flags, io, 'carriers', (queries) => queries.carriers(variant));
}

export function alleleCountsCommand(flags: Flags, io: CommandIo): Promise<number> {
  const region = requireFlag(flags, 'region');
  return cohortCommand(flags, io, 'allele-counts', (queries) => queries.alleleCounts(region));
}
