import { configFrom, stringFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { formatJson, formatTsv } from '../format-rows.ts';
import { withHostAudit } from '../host-audit.ts';
import type { Catalog, CatalogSample } from '../../store/catalog.ts';

// MRNs name people in the hospital's records: they are shown only when asked for (--with-mrn), and
// such a run is flagged in the audit log for the privacy officer's review.
export const samplesHelp = `genovault samples --data-dir D [--format tsv|json] [--with-mrn]
  Lists samples: sample id, patient's internal id, the sample's name in its VCF, the source file
  (base name) and its SHA-256, build, ingest time, calls and coverage source. A file whose samples
  are listed here with the same SHA-256 is refused by ingest as already ingested. --with-mrn adds
  each patient's MRN. Every run is recorded in the audit log as the operating-system user; one with
  --with-mrn is flagged for review.`;

const COLUMNS = ['sampleId', 'patientId', 'vcfSample', 'sourceFile', 'sourceSha256', 'build', 'ingestedAt', 'calls', 'coverage'] as const;
const COLUMNS_WITH_MRN = ['sampleId', 'patientId', 'mrn', 'vcfSample', 'sourceFile', 'sourceSha256', 'build', 'ingestedAt', 'calls', 'coverage'] as const;

/** One sample as `samples` and `erase-sample` show it, without its MRN; fields older catalogs lack are null. */
export function describeSample(catalog: Catalog, s: CatalogSample): Record<(typeof COLUMNS)[number], string | number | null> {
  return {
    sampleId: s.sampleId,
    patientId: s.patientId,
    vcfSample: s.name,
    sourceFile: s.sourceFile ?? null,
    sourceSha256: s.sourceSha256 || null,
    build: s.build,
    ingestedAt: s.ingestedAt,
    calls: catalog.callPartitions(new Set([s.sampleId])).reduce((n, p) => n + p.rows, 0),
    coverage: s.coverage.source,
  };
}

export async function samplesCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const format = stringFlag(flags, 'format') ?? 'tsv';
  if (format !== 'tsv' && format !== 'json') throw new UsageError('--format must be tsv or json');
  const withMrn = flags['with-mrn'] === true;
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const catalog = vault.catalog;
      const act = { command: 'samples', action: 'read', resource: 'samples', ...(withMrn && { flagged: true }) } as const;
      const rows = await audit.attempt(act, () => {
        const described = catalog.data.samples.map((s) => {
          const { sampleId, patientId, ...rest } = describeSample(catalog, s);
          // the MRN right after the internal id (JSON keys in the TSV's column order)
          return { sampleId, patientId, ...(withMrn && { mrn: catalog.patient(s.patientId)?.mrn ?? null }), ...rest };
        });
        const counts = { samples: described.length, ...(withMrn && { mrns: described.length }) };
        return Promise.resolve({ value: described, entries: [{ act, counts }] });
      });
      io.out(format === 'json' ? formatJson(rows) : formatTsv(rows, withMrn ? COLUMNS_WITH_MRN : COLUMNS));
    }),
  );
  return 0;
}

