import { configFrom, requireFlag, stringFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { formatRows } from '../format-rows.ts';

import type { openQueries as OpenQueries } from '../../store/patient-queries.ts';
import { PATIENT_VARIANT_COLUMNS } from '../../store/patient-variant.ts';

// The query engine (DuckDB) loads only for the commands that query.
const openQueries: typeof OpenQueries = async (vault, config) => (await import('../../store/patient-queries.ts')).openQueries(vault, config);

export const variantsHelp = `genovault variants --data-dir D --patient MRN [--region chr17:43044295-43125483] [--gene BRCA1]
                   [--significance pathogenic,likely_pathogenic] [--format json|tsv]
  Prints the patient's variants, one row per alternate allele carried. Regions accept 17:... and chr17:...`;

export const cohortHelp = `genovault carriers --data-dir D --variant chr17:43045712:C:T [--format json|tsv]
genovault allele-counts --data-dir D --region chr17:43044295-43125483 [--format json|tsv]
  Cohort queries across every sample in the vault (operator use; the research gateway applies consent).`;

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
  await withVault(config, false, async (vault) => {
    const patient = vault.catalog.patientByMrn(mrn);
    if (!patient) throw new Error('no patient with that MRN in this vault');
    const queries = await openQueries(vault, config);
    try {
      if (filter.gene && queries.buildsOf(patient.patientId).includes(null)) {
        io.err('warning: a sample of this patient has no reference build in its VCF header; gene coordinates are taken from GRCh38');
      }
      io.out(formatRows(await queries.variantsOfPatient(patient.patientId, filter), format, PATIENT_VARIANT_COLUMNS));
    } finally {
      await queries.close();
    }
  });
  return 0;
}

export async function carriersCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const variant = requireFlag(flags, 'variant');
  const format = formatOf(flags);
  await withVault(config, false, async (vault) => {
    const queries = await openQueries(vault, config);
    try {
      io.out(formatRows(await queries.carriers(variant), format));
    } finally {
      await queries.close();
    }
  });
  return 0;
}

export async function alleleCountsCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const region = requireFlag(flags, 'region');
  const format = formatOf(flags);
  await withVault(config, false, async (vault) => {
    const queries = await openQueries(vault, config);
    try {
      io.out(formatRows(await queries.alleleCounts(region), format));
    } finally {
      await queries.close();
    }
  });
  return 0;
}
