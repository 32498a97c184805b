import { stringFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';
import { parseBuildOption } from '../../ingest/ingest-build.ts';

export const validateHelp = `genovault validate [--strict] [--build GRCh38] FILE.vcf[.gz]
  Reads the VCF through every check ingest makes, storing nothing (no vault needed; sites-only
  files too). Prints each tolerated deviation and every error (up to 100; a header with errors
  stops there), one per line as file:line:column: warning|error: what. Exits 0 when ingest would
  accept the file, 1 when it would refuse it. --strict applies the conformance suite's rules, as
  ingest --strict does. The reference build is decided as ingest decides it: a header that names
  none needs --build, and a --build the header contradicts is refused.`;

/** Exit code of a file ingest would refuse (2 is a usage error). */
export const REFUSED_EXIT = 1;

export async function validateCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('validate takes exactly one VCF file');
  const strict = flags.strict === true;
  const buildText = stringFlag(flags, 'build');
  const build = buildText === undefined ? undefined : parseBuildOption(buildText);
  const { checkVcf, MAX_ERRORS } = await import('../../ingest/check-vcf.ts'); // the VCF reader loads only here
  const check = await checkVcf(file, { strict, ...(build ? { build } : {}) });
  for (const warning of check.warnings) io.out(asDiagnostic(warning, 'warning'));
  const options = `${strict ? ' --strict' : ''}${build ? ` --build ${build}` : ''}`;
  if (!check.accepted) {
    for (const error of check.errors) io.out(asDiagnostic(error, 'error'));
    io.err(`refused: ${check.errors.length}${check.errors.length >= MAX_ERRORS ? ' or more' : ''} error(s); ingest${options} would not accept this file`);
    return REFUSED_EXIT;
  }
  const s = check.summary;
  const decided = check.build ? `build ${check.build.name} (from ${check.build.from})` : 'build unknown';
  io.err(`valid${strict ? ' (strict)' : ''}: ${s?.fileformat ?? ''}, ${s?.records ?? 0} records, ${decided}; ${check.warnings.length} warning(s)`);
  return 0;
}

/** `file:line:column: what` as `file:line:column: warning: what` (compiler style). */
function asDiagnostic(located: string, kind: 'warning' | 'error'): string {
  const m = /^(.*?:\d+:\d+: )(.*)$/s.exec(located);
  if (m) return `${m[1] ?? ''}${kind}: ${m[2] ?? ''}`;
  const colon = located.indexOf(': ');
  return colon < 0 ? `${kind}: ${located}` : `${located.slice(0, colon + 2)}${kind}: ${located.slice(colon + 2)}`;
}
