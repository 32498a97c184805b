import { rebuildIndex } from '../../store/research-index/index-rebuild.ts';
import { indexStatus } from '../../store/research-index/index-status.ts';
import { configFrom, stringFlag, UsageError, withVault, type CommandIo, type Flags } from '../cli-context.ts';
import { withHostAudit } from '../host-audit.ts';

export const indexHelp = `genovault index status --data-dir D
  Says whether the vault keeps a research index, its window width, how many samples and segments
  it holds, and for which builds it answers cohort questions (every sample of the build indexed).

genovault index rebuild --data-dir D [--window-width BASES]
  Builds the research index from the per-sample partitions and replaces the old one in one
  commit. Vaults made before the index existed need it once (until then their cohort answers
  read every sample's partitions: the same answers, slower); new vaults keep it from the first
  ingest on. Recorded in the audit log as the operating-system user.`;

export async function indexCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const config = configFrom(flags, io.env);
  if (args[0] === 'status') {
    await withVault(config, false, (vault) => {
      for (const line of indexStatus(vault.catalog.data)) io.out(line);
      return Promise.resolve();
    });
    return 0;
  }
  if (args[0] !== 'rebuild') {
    io.err(indexHelp);
    return 2;
  }
  const widthText = stringFlag(flags, 'window-width');
  const windowWidth = widthText === undefined ? undefined : Number(widthText);
  if (windowWidth !== undefined && (!Number.isSafeInteger(windowWidth) || windowWidth < 1_000 || windowWidth > 100_000_000)) {
    throw new UsageError('--window-width must be a whole number of bases from 1000 to 100000000');
  }
  await withVault(config, true, (vault) =>
    withHostAudit(config, vault, true, async (audit) => {
      const report = await audit.attempt({ command: 'index.rebuild', action: 'update', resource: 'variants' }, async () => {
        const value = await rebuildIndex(vault, windowWidth === undefined ? {} : { windowWidth });
        return { value, entries: [] };
      });
      io.out(`research index rebuilt: ${report.samples} samples, ${report.calls} calls in ${report.segments} segments of ${report.windowWidth}-base windows (${report.seconds.toFixed(1)} s)`);
      if (report.withoutBuild > 0) io.out(`${report.withoutBuild} samples without a recorded build were left out (cohort questions never read them)`);
    }),
  );
  return 0;
}
