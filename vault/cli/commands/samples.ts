import { configFrom, stringFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { formatJson, formatTsv } from '../format-rows.ts';
import { withHostAudit } from '../host-audit.ts';
import type { Catalog, CatalogSample } from '../../store/catalog.ts';

export const samplesHelp = `genovault samples --data-dir D [--format tsv|json]
  Lists samples: sample id, patient (internal id and MRN), the sample's name in its VCF, the source
  file (base name) and its SHA-256, build, ingest time, calls and coverage source. A file whose
  samples are listed here with the same SHA-256 is refused by ingest as already ingested. Recorded
  in the audit log as the operating-system user (the listing shows MRNs).`;

const COLUMNS = ['sampleId', 'patientId', 'mrn', 'vcfSample', 'sourceFile', 'sourceSha256', 'build', 'ingestedAt', 'calls', 'coverage'] as const;

/** One sample as `samples` and `erase-sample` show it; fields older catalogs lack are null. */
export function describeSample(catalog: Catalog, s: CatalogSample): Record<(typeof COLUMNS)[number], string | number | null> {
  return {
    sampleId: s.sampleId,
    patientId: s.patientId,
    mrn: catalog.patient(s.patientId)?.mrn ?? null,
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
  await withVault(config, false, (vault) =>
    withHostAudit(config, vault, false, async (audit) => {
      const catalog = vault.catalog;
      const act = { command: 'samples', action: 'read', resource: 'samples' } as const;
      const rows = await audit.attempt(act, () => {
        const described = catalog.data.samples.map((s) => describeSample(catalog, s));
        return Promise.resolve({ value: described, entries: [{ act, counts: { samples: described.length } }] });
      });
      io.out(format === 'json' ? formatJson(rows) : formatTsv(rows, COLUMNS));
    }),
  );
  return 0;
}
