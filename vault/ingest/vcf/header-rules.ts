// One rule set per meta-line kind (INFO, FORMAT, FILTER, ALT, contig, META, SAMPLE, PEDIGREE, ...).
// Each rule fails with the column of the field that breaks it.
import { fail, locatedWarning, token } from './vcf-format-error.ts';
import { parseStructuredMeta, fieldValue, type MetaField } from './meta-line.ts';
import { reservedDef } from './reserved-fields.ts';
import type { FieldDef, VcfVersion } from './vcf-header.ts';
import type { BuildEvidence } from './build-detect.ts';

export interface HeaderFacts {
  version: VcfVersion;
  strict: boolean;
  infos: Record<string, FieldDef>;
  formats: Record<string, FieldDef>;
  csqFields: string[] | null;
  warnings: string[];
  build: BuildEvidence;
}

const TYPES = new Set(['Integer', 'Float', 'Flag', 'Character', 'String']);
const META_KEY = /^[A-Za-z0-9_.-]+$/;
const ID_43 = /^(?:[A-Za-z_][0-9A-Za-z_.]*|1000G)$/;
const ID_LEGACY = /^[^\s,;=<>"]+$/;
const CONTIG_ID = /^[^\s,<>*=:"'()[\]{}\\][^\s,<>*"'()[\]{}\\]*$/;
const CONTIG_ID_LEGACY = /^[^\s,<>=:"'()[\]{}\\][^\s,<>"'()[\]{}\\]*$/;
const SYMBOLIC_PREFIXES = new Set(['DEL', 'INS', 'DUP', 'INV', 'CNV', 'BND']);
const PEDIGREE_VALUE = /^[A-Za-z0-9_.-]+$/;

function isModernVersion(v: VcfVersion): boolean {
  return v.minor >= 4;
}

export function validNumber(number: string, version: VcfVersion): boolean {
  if (/^(?:0|[1-9][0-9]*)$/.test(number)) return true;
  if (['A', 'R', 'G', '.'].includes(number)) return true;
  return isModernVersion(version) && ['P', 'M', 'LA', 'LR', 'LG'].includes(number);
}

/**
 * A URL with a scheme and a real host name (letters somewhere, or a dotted IPv4 address), optionally
 * after user information (`ftp://user@host:8080/path`, RFC 3986 authority) and before a port.
 */
export function validUrl(text: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^\s/?#@]*@)?([^\s/:?#@]*)(?::(\d+))?([/?#]\S*)?$/.exec(text);
  if (!m) return false;
  const scheme = (m[1] ?? '').toLowerCase();
  const host = m[2] ?? '';
  if (host === '') return scheme === 'file';
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host.split('.').every((o) => Number(o) <= 255);
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host) && /[A-Za-z]/.test(host);
}

/** Reserved-key declarations written by widely used tools; accepted with a warning unless strict. */
const LEGACY_DECLARATIONS: { kind: 'INFO' | 'FORMAT'; id: string; number: string; type: FieldDef['type']; by: string }[] = [
  { kind: 'INFO', id: 'AF', number: '1', type: 'Float', by: '1000 Genomes phase 1 releases' },
  { kind: 'FORMAT', id: 'GQ', number: '1', type: 'Float', by: 'GATK UnifiedGenotyper and freebayes' },
  { kind: 'INFO', id: 'MQ', number: '1', type: 'Integer', by: 'samtools and bcftools mpileup' },
  { kind: 'FORMAT', id: 'GL', number: '3', type: 'Float', by: 'samtools 0.1 and other callers of biallelic sites' },
];
/** GATK 3 declares the spanning-deletion allele so; the ':' prefix rule for symbolic IDs does not fit it. */
const GATK_SPANNING_DELETION = '*:DEL';
/** Number codes VCF 4.0 did not have: its reserved keys with these were declared with a count or '.'. */
const PER_ALLELE_NUMBERS = new Set(['A', 'R', 'G']);
/** GRCh38 analysis sets name HLA allele contigs like HLA-A*01:01:01:01. */
export const HLA_CONTIG = /^HLA-[A-Z0-9]+\*[0-9A-Z:]+$/;

function requireOrder(fields: MetaField[], order: string[], lineNo: number, kind: string, strict = true): void {
  if (!strict) {
    // Default mode: ID first, the rest present in any order (some writers put Type before Number).
    if (fields[0]?.key !== order[0]) fail(lineNo, fields[0]?.column ?? 1, `${kind} line must start with ${order[0] ?? 'ID'}`);
    const missing = order.find((key) => !fieldValue(fields, key));
    if (missing) fail(lineNo, fields[0]?.column ?? 1, `${kind} line lacks ${missing}`);
    return;
  }
  order.forEach((key, index) => {
    const field = fields[index];
    if (!field || field.key !== key) {
      const present = fieldValue(fields, key);
      if (present) fail(lineNo, field?.column ?? present.column, `${kind} fields must come in the order ${order.join(', ')}: found ${field?.key ?? 'nothing'} where ${key} belongs`);
      fail(lineNo, field?.column ?? 1, `${kind} line lacks ${key}`);
    }
  });
}

function checkFieldDef(kind: 'INFO' | 'FORMAT', fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  requireOrder(fields, ['ID', 'Number', 'Type', 'Description'], lineNo, kind, facts.strict);
  const pick = (key: string): MetaField => fieldValue(fields, key) as MetaField;
  const [id, number, type, description] = [pick('ID'), pick('Number'), pick('Type'), pick('Description')];
  const idRule = facts.version.minor >= 3 ? ID_43 : ID_LEGACY;
  if (!idRule.test(id.value)) fail(lineNo, id.column, `${kind} ID is not a valid key: ${token(id.value)}`);
  const count = legacyVariableCount(kind, id.value, number, lineNo, facts);
  if (!validNumber(count, facts.version)) fail(lineNo, number.column, `${kind} ${id.value} has an invalid Number: ${token(number.value)}`);
  if (!TYPES.has(type.value)) fail(lineNo, type.column, `${kind} ${id.value} has an invalid Type: ${token(type.value)}`);
  if (kind === 'FORMAT' && type.value === 'Flag') fail(lineNo, type.column, `FORMAT ${id.value} cannot have Type=Flag`);
  if (type.value === 'Flag' && number.value !== '0') fail(lineNo, number.column, `INFO ${id.value} is a Flag and must have Number=0`);
  if (!description.quoted) fail(lineNo, description.column, `${kind} ${id.value} Description must be in double quotes`);
  const def: FieldDef = { id: id.value, number: count, type: type.value as FieldDef['type'] };
  checkReserved(kind, def, lineNo, number.column, facts);
  (kind === 'INFO' ? facts.infos : facts.formats)[def.id] = def;
  if (kind === 'INFO' && def.id === 'CSQ') {
    const format = /Format:\s*([^"]+)/.exec(description.value);
    if (format) facts.csqFields = (format[1] ?? '').trim().split('|');
  }
}

/** samtools 0.1 wrote Number=-1 for a variable count; default mode reads it as '.' (as htslib does). */
function legacyVariableCount(kind: string, id: string, number: MetaField, lineNo: number, facts: HeaderFacts): string {
  if (number.value !== '-1' || facts.strict) return number.value;
  facts.warnings.push(locatedWarning(lineNo, number.column, `${kind} ${id} has an invalid Number: '-1' (accepted: samtools 0.1 wrote it for a variable count; read as '.')`));
  return '.';
}

function checkReserved(kind: 'INFO' | 'FORMAT', def: FieldDef, lineNo: number, column: number, facts: HeaderFacts): void {
  const reserved = reservedDef(kind, def.id, facts.version);
  if (!reserved) return;
  const numberOk = def.number === reserved.number || def.number === '.' || (facts.version.minor === 0 && PER_ALLELE_NUMBERS.has(reserved.number) && /^[0-9]+$/.test(def.number));
  const typeOk = def.type === reserved.type;
  if (numberOk && typeOk) return;
  const what = `${kind} ${def.id} is reserved as Number=${reserved.number},Type=${reserved.type} but declared Number=${def.number},Type=${def.type}`;
  const legacy = LEGACY_DECLARATIONS.find((l) => l.kind === kind && l.id === def.id && l.number === def.number && l.type === def.type);
  if (facts.strict || !legacy) fail(lineNo, column, what);
  facts.warnings.push(locatedWarning(lineNo, column, `${what} (accepted: written so by ${legacy.by}; the declaration is used)`));
}

function checkAlt(fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  const id = fields[0];
  if (!id || id.key !== 'ID') fail(lineNo, id?.column ?? 1, 'ALT line must start with ID');
  if (/[\s,<>]/.test(id.value) || id.value === '') fail(lineNo, id.column, `ALT ID contains an invalid character: ${token(id.value)}`);
  if (id.value.includes(':') && !SYMBOLIC_PREFIXES.has(id.value.split(':')[0] ?? '')) {
    const what = `ALT ID with ':' must start with DEL, INS, DUP, INV, CNV or BND: ${token(id.value)}`;
    if (facts.strict || id.value !== GATK_SPANNING_DELETION) fail(lineNo, id.column, what);
    facts.warnings.push(locatedWarning(lineNo, id.column, `${what} (accepted: GATK 3 declares the spanning-deletion allele so)`));
  }
  const number = fieldValue(fields, 'Number');
  const type = fieldValue(fields, 'Type');
  if (number && !validNumber(number.value, facts.version)) fail(lineNo, number.column, `ALT has an invalid Number: ${token(number.value)}`);
  if (type && !TYPES.has(type.value)) fail(lineNo, type.column, `ALT has an invalid Type: ${token(type.value)}`);
  if (number && type && fields.indexOf(type) < fields.indexOf(number)) fail(lineNo, type.column, 'ALT fields must come in the order ID, Number, Type, Description');
  const description = fieldValue(fields, 'Description');
  if (!description) fail(lineNo, id.column, 'ALT line lacks Description');
  if (!description.quoted) fail(lineNo, description.column, 'ALT Description must be in double quotes');
}

function checkContig(fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  const id = fieldValue(fields, 'ID');
  if (!id) fail(lineNo, fields[0]?.column ?? 1, 'contig line lacks ID');
  const idRule = facts.version.minor >= 3 ? CONTIG_ID : CONTIG_ID_LEGACY;
  if (!idRule.test(id.value) && (facts.strict || !HLA_CONTIG.test(id.value))) fail(lineNo, id.column, `contig ID contains an invalid character: ${token(id.value)}`);
  const length = fieldValue(fields, 'length');
  if (length && !/^[0-9]+$/.test(length.value)) fail(lineNo, length.column, `contig length is not a number: ${token(length.value)}`);
  const url = fieldValue(fields, 'URL');
  if (url && !validUrl(url.value)) fail(lineNo, url.column, `contig URL is not valid: ${token(url.value)}`);
  const assembly = fieldValue(fields, 'assembly');
  if (assembly) facts.build.contigAssemblies.push(assembly.value);
  if (length) facts.build.contigLengths.push({ name: id.value, length: Number(length.value) });
}

function checkMeta(fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  requireOrder(fields, ['ID', 'Number', 'Type', 'Values'], lineNo, 'META');
  const [, number, type, values] = fields as [MetaField, MetaField, MetaField, MetaField];
  if (!validNumber(number.value, facts.version)) fail(lineNo, number.column, `META has an invalid Number: ${token(number.value)}`);
  if (!TYPES.has(type.value)) fail(lineNo, type.column, `META has an invalid Type: ${token(type.value)}`);
  if (!/^\[.*\]$/.test(values.value)) fail(lineNo, values.column, 'META Values must be a list in square brackets');
}

function checkSample(fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  const id = fieldValue(fields, 'ID');
  if (!id) fail(lineNo, fields[0]?.column ?? 1, 'SAMPLE line lacks ID');
  if (!/^[^\s,<>*]+$/.test(id.value)) fail(lineNo, id.column, 'SAMPLE ID contains an invalid character');
  if (facts.version.minor < 3) {
    const quoted = fields.find((f) => f.quoted && f.key !== 'Description');
    if (quoted) fail(lineNo, quoted.column, `SAMPLE ${quoted.key} must not be quoted (only Description may be)`);
  }
}

function checkPedigree(fields: MetaField[], lineNo: number, facts: HeaderFacts): void {
  if (facts.version.minor >= 3 && !fieldValue(fields, 'ID')) fail(lineNo, fields[0]?.column ?? 1, 'PEDIGREE line lacks ID');
  for (const field of fields) {
    if (!PEDIGREE_VALUE.test(field.value)) fail(lineNo, field.column, `PEDIGREE ${field.key} is not a valid sample or genome ID`);
  }
}

function checkFilter(fields: MetaField[], lineNo: number): void {
  const id = fields[0];
  if (!id || id.key !== 'ID') fail(lineNo, id?.column ?? 1, 'FILTER line must start with ID');
  if (id.value === '0' || /[\s;]/.test(id.value) || id.value === '') fail(lineNo, id.column, `FILTER ID is not valid: ${token(id.value)}`);
  const description = fieldValue(fields, 'Description');
  if (description && !description.quoted) fail(lineNo, description.column, 'FILTER Description must be in double quotes');
}

const STRUCTURED: Record<string, (fields: MetaField[], lineNo: number, facts: HeaderFacts) => void> = {
  INFO: (f, l, facts) => checkFieldDef('INFO', f, l, facts),
  FORMAT: (f, l, facts) => checkFieldDef('FORMAT', f, l, facts),
  FILTER: (f, l) => checkFilter(f, l),
  ALT: checkAlt,
  contig: checkContig,
  META: checkMeta,
  SAMPLE: checkSample,
  PEDIGREE: checkPedigree,
};

/** Checks one `##key=value` line and records what later parsing needs. */
export function checkMetaLine(line: string, lineNo: number, facts: HeaderFacts): void {
  const eq = line.indexOf('=');
  if (eq < 0) fail(lineNo, 3, 'meta line is not a ##key=value pair');
  const key = line.slice(2, eq);
  const value = line.slice(eq + 1);
  if (!META_KEY.test(key)) fail(lineNo, 3, `meta line key is not valid: ${token(key)}`);
  if (value.length === 0) fail(lineNo, eq + 2, `meta line ${key} has an empty value`);
  const rule = STRUCTURED[key];
  if (rule) {
    if (!value.startsWith('<')) fail(lineNo, eq + 2, `${key} meta line must be a <...> list`);
    rule(parseStructuredMeta(line, eq + 1, lineNo), lineNo, facts);
    return;
  }
  if (key === 'fileformat') fail(lineNo, 1, 'fileformat may only appear on the first line');
  if (key === 'pedigreeDB') {
    const url = value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value;
    if (!validUrl(url)) fail(lineNo, eq + 2, 'pedigreeDB is not a valid URL');
  }
  if (key === 'assembly' && value.includes('://') && !validUrl(value)) fail(lineNo, eq + 2, 'assembly is not a valid URL');
  if (key === 'reference' || key === 'assembly') facts.build.referenceTexts.push(value);
}
