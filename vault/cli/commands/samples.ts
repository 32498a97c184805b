import { configFrom, withVault, type CommandIo, type Flags } from '../cli-context.ts';

export const samplesHelp = `genovault samples --data-dir D
  Lists samples: sample id, patient id, build, calls, coverage source.`;

export async function samplesCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  await withVault(config, false, (vault) => {
    const catalog = vault.catalog;
    io.out(['sample_id', 'patient_id', 'mrn', 'build', 'calls', 'coverage'].join('\t'));
    for (const s of catalog.data.samples) {
      const calls = catalog.callPartitions(new Set([s.sampleId])).reduce((n, p) => n + p.rows, 0);
      io.out([s.sampleId, s.patientId, catalog.patient(s.patientId)?.mrn ?? '', s.build ?? '', calls, s.coverage.source].join('\t'));
    }
    return Promise.resolve();
  });
  return 0;
}
