// INFO and FORMAT keys the specification reserves, with the Number and Type they must be declared with.
// Used to check declarations, and to type values of reserved keys that a header does not declare.
import type { FieldDef, VcfVersion } from './vcf-header.ts';

type Reserved = Record<string, { number: string; type: FieldDef['type']; since?: number }>;

const INFO: Reserved = {
  AA: { number: '1', type: 'String' },
  AC: { number: 'A', type: 'Integer' },
  AD: { number: 'R', type: 'Integer', since: 2 },
  ADF: { number: 'R', type: 'Integer', since: 2 },
  ADR: { number: 'R', type: 'Integer', since: 2 },
  AF: { number: 'A', type: 'Float' },
  AN: { number: '1', type: 'Integer' },
  BQ: { number: '1', type: 'Float' },
  CIGAR: { number: 'A', type: 'String' },
  DB: { number: '0', type: 'Flag' },
  DP: { number: '1', type: 'Integer' },
  END: { number: '1', type: 'Integer' },
  H2: { number: '0', type: 'Flag' },
  H3: { number: '0', type: 'Flag' },
  MQ: { number: '1', type: 'Float' },
  MQ0: { number: '1', type: 'Integer' },
  NS: { number: '1', type: 'Integer' },
  // VCF 4.1 and 4.2 name SB without a Number or Type (GRIDSS writes Number=1,Type=Float); 4.3 types it
  SB: { number: '4', type: 'Integer', since: 3 },
  SOMATIC: { number: '0', type: 'Flag' },
  VALIDATED: { number: '0', type: 'Flag' },
  '1000G': { number: '0', type: 'Flag' },
};

const FORMAT: Reserved = {
  AD: { number: 'R', type: 'Integer', since: 2 },
  ADF: { number: 'R', type: 'Integer', since: 2 },
  ADR: { number: 'R', type: 'Integer', since: 2 },
  DP: { number: '1', type: 'Integer' },
  EC: { number: 'A', type: 'Integer' },
  FT: { number: '1', type: 'String' },
  GL: { number: 'G', type: 'Float' },
  GLE: { number: '1', type: 'String' },
  GP: { number: 'G', type: 'Float' },
  GQ: { number: '1', type: 'Integer' },
  GT: { number: '1', type: 'String' },
  HQ: { number: '2', type: 'Integer' },
  MQ: { number: '1', type: 'Integer' },
  PL: { number: 'G', type: 'Integer' },
  PP: { number: 'G', type: 'Integer', since: 3 },
  PQ: { number: '1', type: 'Integer' },
  PS: { number: '1', type: 'Integer' },
};

/** Reserved counts and depths that can never be negative. */
export const NON_NEGATIVE_INFO = new Set(['AC', 'AD', 'ADF', 'ADR', 'AF', 'AN', 'BQ', 'DP', 'END', 'MQ', 'MQ0', 'NS', 'SB']);
export const NON_NEGATIVE_FORMAT = new Set(['AD', 'ADF', 'ADR', 'DP', 'EC', 'GQ', 'HQ', 'MQ', 'PL', 'PP']);

export function reservedDef(kind: 'INFO' | 'FORMAT', id: string, version: VcfVersion): FieldDef | undefined {
  const entry = (kind === 'INFO' ? INFO : FORMAT)[id];
  if (!entry || (entry.since !== undefined && version.minor < entry.since && version.major === 4)) return undefined;
  return { id, number: entry.number, type: entry.type };
}
