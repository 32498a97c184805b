// Parses the structured value of a meta line, `<ID=x,Number=1,Description="...">`, keeping order and
// the column of each field so a rule can point at the exact place that breaks it.
import { fail } from './vcf-format-error.ts';

export interface MetaField {
  key: string;
  value: string;
  quoted: boolean;
  /** 1-based column of the key in the line */
  column: number;
}

/**
 * @param text the whole line, e.g. `##INFO=<...>`
 * @param start index of the '<' in text
 */
export function parseStructuredMeta(text: string, start: number, lineNo: number): MetaField[] {
  if (!text.endsWith('>')) fail(lineNo, text.length, "structured meta line is not closed by '>'");
  const end = text.length - 1;
  const fields: MetaField[] = [];
  let i = start + 1;
  if (i === end) fail(lineNo, i + 1, 'structured meta line has no fields');
  while (i < end) {
    const keyStart = i;
    while (i < end && text[i] !== '=' && text[i] !== ',') i++;
    const key = text.slice(keyStart, i);
    if (text[i] !== '=' || key.length === 0) fail(lineNo, keyStart + 1, `meta field is not a key=value pair: '${key}'`);
    if (/\s/.test(key)) fail(lineNo, keyStart + 1, `meta field key contains whitespace: '${key}'`);
    i++;
    let value: string;
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      let out = '';
      i++;
      for (;;) {
        if (i >= end) fail(lineNo, keyStart + 1, `quoted value of ${key} is not closed`);
        const ch = text[i];
        if (ch === '\\' && i + 1 < end) {
          out += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          out += ch;
          i++;
        }
      }
      if (i < end && text[i] !== ',') fail(lineNo, i + 1, `unexpected text after the quoted value of ${key}`);
      value = out;
    } else {
      const valueStart = i;
      let depth = 0;
      while (i < end) {
        const ch = text[i];
        if (ch === '[') depth++;
        else if (ch === ']' && depth > 0) depth--;
        else if (ch === ',' && depth === 0) break;
        i++;
      }
      value = text.slice(valueStart, i);
    }
    fields.push({ key, value, quoted, column: keyStart + 1 });
    if (text[i] === ',') {
      i++;
      if (i === end) fail(lineNo, i, 'structured meta line ends with a comma');
    }
  }
  return fields;
}

export function fieldValue(fields: MetaField[], key: string): MetaField | undefined {
  return fields.find((f) => f.key === key);
}
