// The parsed header that every chunk parser (main thread or worker) needs: a plain, cloneable object.
import { fail, locatedWarning, token, VcfProblemError, type VcfProblem } from './vcf-format-error.ts';
import { checkMetaLine, type HeaderFacts } from './header-rules.ts';
import { detectBuild } from './build-detect.ts';

export interface FieldDef {
  id: string;
  /** '1', '2', 'A', 'R', 'G', '.', and in 4.4+ 'P', 'M', 'LA', 'LR', 'LG' */
  number: string;
  type: 'Integer' | 'Float' | 'Flag' | 'Character' | 'String';
}

export interface VcfVersion {
  major: number;
  minor: number;
}

export interface VcfHeader {
  fileformat: string;
  version: VcfVersion;
  infos: Record<string, FieldDef>;
  formats: Record<string, FieldDef>;
  samples: string[];
  hasFormatColumn: boolean;
  /** VEP CSQ field names, from the Format: part of its description */
  csqFields: string[] | null;
  /** the reference build the header names (build-detect.ts); null when it cannot be told */
  build: string | null;
  /** which header lines named it, for messages */
  buildSource: string | null;
  /** number of header lines, i.e. the line number of the #CHROM line */
  lineCount: number;
  /** true: reserved-key declarations that contradict the spec are errors, not warnings */
  strict: boolean;
  /** true: a parser records an error and goes on with the next line (validate), instead of stopping (ingest) */
  keepGoing: boolean;
  warnings: string[];
}

const FIXED_COLUMNS = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];

/** Rules that only held up to 4.3 (sorting, duplicates) become warnings from 4.4 on. */
export function isModern(version: VcfVersion): boolean {
  return version.major > 4 || (version.major === 4 && version.minor >= 4);
}

export function parseFileformat(line: string): { fileformat: string; version: VcfVersion } {
  if (!line.startsWith('##fileformat=')) fail(1, 1, 'the first line must be ##fileformat=VCFvX.Y');
  const fileformat = line.slice('##fileformat='.length);
  const match = /^VCFv(\d+)\.(\d+)$/.exec(fileformat);
  if (!match) fail(1, 14, `fileformat is not VCFvX.Y: ${token(fileformat)}`);
  const version = { major: Number(match[1]), minor: Number(match[2]) };
  if (version.major !== 4 || version.minor > 5) fail(1, 14, `unsupported VCF version: ${token(fileformat)}`);
  return { fileformat, version };
}

/**
 * Parses header lines (without line terminators); the last one must be the #CHROM line. With
 * `errors`, a bad meta line is recorded there and the others are still checked.
 */
export function parseHeader(lines: string[], strict: boolean, errors?: VcfProblem[]): VcfHeader {
  const first = lines[0];
  if (first === undefined) fail(1, 1, 'file is empty');
  const { fileformat, version } = parseFileformat(first);
  const facts: HeaderFacts = {
    version,
    strict,
    infos: {},
    formats: {},
    csqFields: null,
    warnings: [],
    build: { referenceTexts: [], contigAssemblies: [], contigLengths: [] },
  };
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i] ?? '';
    try {
      if (!line.startsWith('##')) fail(i + 1, 1, 'expected a ## meta line or the #CHROM header line');
      checkMetaLine(line, i + 1, facts);
    } catch (err) {
      if (!errors || !(err instanceof VcfProblemError)) throw err;
      errors.push(err.problem);
    }
  }
  const chromLine = lines[lines.length - 1] ?? '';
  const { samples, hasFormatColumn } = parseChromLine(chromLine, lines.length);
  const build = detectBuild(facts.build);
  return {
    fileformat,
    version,
    infos: facts.infos,
    formats: facts.formats,
    samples,
    hasFormatColumn,
    csqFields: facts.csqFields,
    build: build.build,
    buildSource: build.source,
    lineCount: lines.length,
    strict,
    keepGoing: false,
    // the build's evidence spans the header: its disagreements are placed where the header ends
    warnings: [...facts.warnings, ...build.conflicts.map((conflict) => locatedWarning(lines.length, 1, conflict))],
  };
}

function parseChromLine(line: string, lineNo: number): { samples: string[]; hasFormatColumn: boolean } {
  if (!line.startsWith('#CHROM')) fail(lineNo, 1, 'missing the #CHROM header line before the records');
  const columns = line.split('\t');
  let column = 1;
  for (let i = 0; i < FIXED_COLUMNS.length; i++) {
    const name = columns[i];
    if (name === undefined || name !== FIXED_COLUMNS[i]) fail(lineNo, column, `header column ${i + 1} must be ${FIXED_COLUMNS[i]} (columns are tab-separated): ${token(name ?? '')}`);
    column += name.length + 1;
  }
  if (columns.length === 8) return { samples: [], hasFormatColumn: false };
  if (columns[8] !== 'FORMAT') fail(lineNo, column, `header column 9 must be FORMAT: ${token(columns[8] ?? '')}`);
  column += 7;
  if (columns.length === 9) fail(lineNo, column - 1, 'the #CHROM line has a FORMAT column but no sample columns');
  const samples = columns.slice(9);
  const seen = new Set<string>();
  for (const name of samples) {
    if (name.length === 0) fail(lineNo, column, 'empty sample name (a stray tab in the #CHROM line?)');
    if (seen.has(name)) fail(lineNo, column, `sample name in header column ${9 + seen.size + 1} repeats an earlier one`);
    seen.add(name);
    column += name.length + 1;
  }
  return { samples, hasFormatColumn: true };
}
