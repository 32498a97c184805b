// `genovault duo match`: the DUO matcher the service uses, for ethics board reviewers: a consent
// and a research purpose in, permit / deny / review with the reasons out. `duo terms` lists the
// vocabulary. Needs no vault; the matcher and its ontology load only when asked for.
import { COMMITMENTS, IsoDateSchema, SENSITIVE_ASPECTS, type DuoDecision } from '../../../schemas/duo.ts';
import { stringFlag, requireFlag, UsageError, type CommandIo, type Flags } from '../cli-context.ts';

export const duoHelp = `genovault duo match --consent "TERMS" --purpose "TERMS" [options] [--format text|json]
genovault duo terms [--format text|json]
  Matches a research purpose against a research consent by the GA4GH Data Use Ontology (DUO)
  rules in docs/policy-guide.md, as the vault does: prints permit, deny or review (a person on
  the ethics board decides) with the reasons, and the DUO and disease ontology versions used.
  TERMS are space-separated DUO ids (DUO:0000042) or shorthands (GRU, HMB, DS, POA, NRES, NPU...)
  and disease ids (DOID:162, MONDO:0004992). A modifier's value follows '=':
  DUO:0000024=2027-01-31 (MOR), DUO:0000025=P2Y (TS; or =18 for months), DUO:0000022=US,CA (GS),
  DUO:0000027=project-x (PS). A purpose uses GRU, HMB, DS, POA or DUO:0000031..DUO:0000040.
  Consent options:
    --consented YYYY-MM-DD   the day consent was given (required with TS, which counts from it)
    --consent-text TEXT      restrictions written in words on the form (always review)
  Purpose options (what the project declares):
    --for-profit             the requesting organisation is for-profit (NPU, NPUNCU)
    --commercial             the use is commercial (NCU, NPUNCU)
    --sensitive LIST         comma list: ${SENSITIVE_ASPECTS.join(', ')}
    --commitments LIST       comma list: ${COMMITMENTS.join(', ')} (COL, PUB, RTN)
    --irb REF                the project's ethics approval reference (IRB)
    --country CC             where the data will be used, ISO 3166-1 alpha-2 (GS)
    --publish-after DATE     the earliest day the project will publish (MOR)
    --project ID             the project's id (PS)
    --at DATE                the day of the request (TS, MOR); today (UTC) by default
  Example: genovault duo match --consent "DUO:0000007 DOID:162 DUO:0000045" --purpose "DUO:0000007 DOID:10155"
  Exit 0 with a decision; 2 for bad input, naming the bad term or option.`;

/** The option that gave each attribute, to name it in an error. */
const FLAG_OF: Readonly<Record<string, string>> = {
  consentedOn: '--consented',
  restrictionsText: '--consent-text',
  country: '--country',
  irbReference: '--irb',
  publishAfter: '--publish-after',
  projectId: '--project',
};

function listFlag<T extends string>(flags: Flags, name: string, allowed: readonly T[]): T[] {
  const text = stringFlag(flags, name);
  if (text === undefined) return [];
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.find((i) => !allowed.includes(i as T));
  if (bad !== undefined) throw new UsageError(`--${name}: ${bad} is not one of ${allowed.join(', ')}`);
  return [...new Set(items)] as T[];
}

function dateFlag(flags: Flags, name: string): string | undefined {
  const value = stringFlag(flags, name);
  if (value !== undefined && !IsoDateSchema.safeParse(value).success) throw new UsageError(`--${name}: ${value} is not a date as YYYY-MM-DD`);
  return value;
}

function formatOf(flags: Flags): 'text' | 'json' {
  const format = stringFlag(flags, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  return format;
}

function describeDecision(result: DuoDecision): string {
  const others = result.findings.filter((f) => f.outcome !== result.decision);
  return [
    `${result.decision.toUpperCase()}${result.decision === 'review' ? ' (a person on the ethics board decides)' : ''}`,
    ...result.reasons.map((r) => `  - ${r}`),
    ...(others.length > 0 ? ['Also found:', ...others.map((f) => `  - ${f.outcome}: ${f.reason}`)] : []),
    `Decided for ${result.on} under ${result.versions.duo}; ${result.versions.diseaseOntology}; ${result.versions.mondoMapping}.`,
  ].join('\n');
}

async function match(flags: Flags, io: CommandIo): Promise<number> {
  const format = formatOf(flags);
  const consentText = requireFlag(flags, 'consent');
  const purposeText = requireFlag(flags, 'purpose');
  const on = dateFlag(flags, 'at');
  const consentedOn = dateFlag(flags, 'consented');
  const restrictionsText = stringFlag(flags, 'consent-text');
  const attributes = {
    forProfit: flags['for-profit'] === true,
    commercial: flags.commercial === true,
    sensitive: listFlag(flags, 'sensitive', SENSITIVE_ASPECTS),
    commitments: listFlag(flags, 'commitments', COMMITMENTS),
    irbReference: stringFlag(flags, 'irb'),
    country: stringFlag(flags, 'country')?.toUpperCase(),
    publishAfter: dateFlag(flags, 'publish-after'),
    projectId: stringFlag(flags, 'project'),
  };
  const { parseConsentTerms, parsePurposeTerms, DuoInputError } = await import('../../../consent/duo/parse-terms.ts');
  const { matchPurpose } = await import('../../../consent/duo/match.ts');
  const read = <T>(option: string, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof DuoInputError)) throw err;
      const flag = FLAG_OF[err.subject];
      throw new UsageError(flag ? `${flag}: ${err.problem}` : `${option}: ${err.message}`);
    }
  };
  const scope = read('--consent', () => parseConsentTerms(consentText, { consentedOn, restrictionsText }));
  const purpose = read('--purpose', () => parsePurposeTerms(purposeText, attributes));
  const result = matchPurpose(scope, purpose, { on });
  io.out(format === 'json' ? JSON.stringify(result, null, 2) : describeDecision(result));
  return 0;
}

async function listTerms(flags: Flags, io: CommandIo): Promise<number> {
  const format = formatOf(flags);
  const { DUO_TERMS } = await import('../../../consent/duo/duo-terms.ts');
  if (format === 'json') io.out(JSON.stringify(DUO_TERMS, null, 2));
  else io.out(DUO_TERMS.map((t) => `${t.id}  ${(t.shorthand ?? '').padEnd(6)}  ${t.kind.padEnd(10)}  ${t.label}`).join('\n'));
  return 0;
}

export async function duoCommand(args: string[], flags: Flags, io: CommandIo): Promise<number> {
  const [sub, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`duo ${sub ?? ''} takes no positional arguments (quote the TERMS)`);
  if (sub === 'match') return match(flags, io);
  if (sub === 'terms') return listTerms(flags, io);
  throw new UsageError(sub ? `unknown duo command: ${sub}` : 'duo needs a subcommand: match or terms');
}
