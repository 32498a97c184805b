// `genovault targets`: the capture kits' target BEDs the vault knows by name, for uploads over the
// API (`POST /v1/ingests?...&targets=NAME`); `genovault ingest --targets FILE` takes a file directly.
import { configFrom, requireFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';

export const targetsHelp = `genovault targets add --data-dir D --name NAME FILE.bed
genovault targets list --data-dir D
  add: checks the BED as ingest reads it and keeps it in the vault under NAME (replacing a set of
  that name), so that an upload can name it: POST /v1/ingests?patient=MRN&targets=NAME records
  that the sample's assay covered those regions (allele numbers and "not covered" notes follow).
  list: the names the vault knows.`;

export async function targetsCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  const { addTargetSet, listTargetSets } = await import('../../ingest/target-sets.ts');
  if (args[0] === 'list' && args.length === 1) {
    for (const name of await listTargetSets(config.dataDir)) io.out(name);
    return 0;
  }
  if (args[0] === 'add' && args.length === 2) {
    const name = requireFlag(flags, 'name');
    const regions = await addTargetSet(config.dataDir, name, args[1]!);
    io.out(`target set ${name}: ${regions} regions`);
    return 0;
  }
  throw new UsageError('targets takes add FILE.bed (with --name) or list');
}
