import type { IngestOptions } from '../../ingest/ingest-vcf.ts';
import { readSampleMap } from '../../ingest/sample-mapping.ts';
import { parseBuildOption } from '../../ingest/ingest-build.ts';
import { configFrom, stringFlag, withVault, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostAudit } from '../host-audit.ts';

export const ingestHelp = `genovault ingest --data-dir D --patient MRN [--sample NAME] [--targets FILE.bed] [--build GRCh38] [--strict] FILE.vcf[.gz]
genovault ingest --data-dir D --map SAMPLES.tsv [--targets FILE.bed] [--build GRCh38] [--strict] [--format text|json] FILE.vcf[.gz]
  Validates the whole VCF, then seals each sample's non-reference calls. All or nothing: a bad
  file changes nothing. Deviations real writers make and bcftools reads are accepted with a
  warning (file:line:column); --strict refuses them (genovault validate checks a file first).
  --map is a two-column TSV: sample name, MRN; it may name a subset (the rest are skipped and
  listed). Patients not yet known are registered by MRN. --targets records what an exome or
  panel covered. The reference build comes from the header (##reference, ##assembly, ##contig
  assembly= or chromosome lengths); a file whose header does not say needs --build, and a
  --build the header contradicts is refused. A file already ingested (same SHA-256 and sample)
  is refused with exit 3. The audit log records the run as the operating-system user: one entry
  per stored sample (internal ids and counts).`;

function progressPrinter(io: CommandIo): IngestOptions['onProgress'] {
  if (!io.isTty) return undefined;
  const started = performance.now();
  let last = 0;
  return ({ bytes, records }) => {
    const now = performance.now();
    if (now - last < 250) return;
    last = now;
    const mbps = bytes / 1e6 / Math.max((now - started) / 1000, 1e-3);
    io.err(`\r${records.toLocaleString('en-US')} records, ${(bytes / 1e6).toFixed(1)} MB, ${mbps.toFixed(1)} MB/s   `);
  };
}

export async function ingestCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('ingest takes exactly one VCF file');
  const config = configFrom(flags, io.env);
  // Without a setting the reader picks: one worker per core for large files, none for small ones.
  const options: IngestOptions = config.ingestWorkers === undefined ? {} : { workers: config.ingestWorkers };
  const patient = stringFlag(flags, 'patient');
  const sample = stringFlag(flags, 'sample');
  const mapFile = stringFlag(flags, 'map');
  const targets = stringFlag(flags, 'targets');
  const format = stringFlag(flags, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const json = format === 'json';
  const build = stringFlag(flags, 'build');
  if (build !== undefined) options.build = parseBuildOption(build);
  if (patient) options.patient = patient;
  if (sample) options.sample = sample;
  if (mapFile) options.map = await readSampleMap(mapFile);
  if (targets) options.targets = targets;
  if (flags.strict === true) options.strict = true;
  const progress = progressPrinter(io);
  if (progress) options.onProgress = progress;
  const started = performance.now();
  const { ingestVcf } = await import('../../ingest/ingest-vcf.ts'); // the VCF reader and Arrow load only here
  const act = { command: 'ingest', action: 'create', resource: 'variants' } as const;
  const report = await withVault(config, true, (vault) =>
    withHostAudit(config, vault, true, (audit) =>
      audit.attempt(act, async () => {
        const done = await ingestVcf(vault, file, options);
        // one entry per patient whose variants were stored, so each patient's access log shows it
        const entries = done.samples.map((s) => ({ act: { ...act, patientId: s.patientId, targetId: s.sampleId }, counts: { records: done.records, calls: s.calls, partitions: s.partitions } }));
        return { value: done, entries };
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  if (progress) io.err('\n');
  for (const w of report.warnings) io.err(`warning: ${w}`);
  if (report.skipped.length > 0) io.err(`skipped ${report.skipped.length} sample(s) of the file not named by ${mapFile ? 'the map' : '--sample'}: ${listed(report.skipped)}`);
  if (json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  io.out(
    `ingested ${report.records} records (${(report.bytesRead / 1e6).toFixed(1)} MB, ${(report.bytesRead / 1e6 / seconds).toFixed(1)} MB/s) ` +
      `build ${report.build}; ${report.samples.length} sample(s):`,
  );
  for (const s of report.samples) {
    io.out(`  sample ${s.sampleId}  patient ${s.patientId}  ${s.calls} calls in ${s.partitions} partitions  coverage: ${s.coverage}`);
  }
  if (report.skipped.length > 0) io.out(`skipped ${report.skipped.length} sample(s): ${listed(report.skipped)}`);
  return 0;
}

/** Names for a line of text: a cohort may skip thousands, so the first ten and a count (--format json lists all). */
function listed(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}
