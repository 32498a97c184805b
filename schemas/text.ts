// Building blocks for text a person types (names, reasons, labels) and for identifiers. Each
// refuses what no honest input holds: control characters (NUL among them), the bidirectional
// embeddings, overrides and isolates that make text display in another order than it is stored
// ("Trojan Source", CVE-2021-42574), unpaired surrogates, and text without a letter or digit.
// Text is trimmed and put in Unicode NFC, so one name is stored one way. Messages say what is
// wrong, never the value.
import { z } from 'zod';

const TAB_AND_LINE_BREAKS = new Set([0x09, 0x0a, 0x0d]);

/** C0 and C1 controls and DEL; free text may keep tab, line feed and carriage return. */
function hasControlCharacter(text: string, allowLineBreaks: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) && !(allowLineBreaks && TAB_AND_LINE_BREAKS.has(unit))) return true;
  }
  return false;
}
/** LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** line and paragraph separators: line breaks that JSON and logs do not treat as such */
const UNICODE_LINE_SEPARATORS = /[\u2028\u2029]/u;
/** with the u flag only an unpaired surrogate is a code point of category Cs */
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const NONCHARACTERS = /[\uFDD0-\uFDEF\uFFFE\uFFFF]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** What makes `text` unfit as typed input, or null; `lineBreaks` allows tab, CR and LF. */
export function unsafeTextProblem(text: string, options: { lineBreaks: boolean }): string | null {
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode (an unpaired surrogate was found)';
  if (hasControlCharacter(text, options.lineBreaks)) {
    return options.lineBreaks ? 'must not contain control characters other than tab and line breaks' : 'must not contain control characters or line breaks';
  }
  if (UNICODE_LINE_SEPARATORS.test(text)) return 'must not contain Unicode line or paragraph separators';
  if (BIDI_CONTROLS.test(text)) return 'must not contain bidirectional override, embedding or isolate characters';
  if (NONCHARACTERS.test(text)) return 'must not contain Unicode noncharacters';
  return null;
}

function typedText(max: number, options: { lineBreaks: boolean; min: number; minMessage: string }) {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .superRefine((raw, ctx) => {
      // judged before trimming: a control character at either end is refused, not quietly cut off
      const problem = unsafeTextProblem(raw, options);
      const text = raw.trim();
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (text.length < options.min) ctx.addIssue({ code: 'custom', message: options.minMessage });
      else if (!LETTER_OR_DIGIT.test(text)) ctx.addIssue({ code: 'custom', message: 'must hold letters or digits, not only spaces or symbols' });
    })
    .trim()
    .normalize('NFC');
}

/** One line of text: a label, a display name. */
export function lineText(max: number, min = 1) {
  return typedText(max, { lineBreaks: false, min, minMessage: min === 1 ? 'must not be empty' : `at least ${min} characters` });
}

/** Text that may run over lines: a reason, a note. `minMessage` says why a short one is refused. */
export function freeText(max: number, options: { min?: number; minMessage?: string } = {}) {
  const min = options.min ?? 1;
  return typedText(max, { lineBreaks: true, min, minMessage: options.minMessage ?? (min === 1 ? 'must not be empty' : `at least ${min} characters`) });
}

/** Letters (any script) and combining marks, with spaces, hyphens, apostrophes or periods between. */
const NAME = /^\p{L}[\p{L}\p{M}' \u2019.-]*$/u;

/** A given or family name. */
export function personName(max = 100) {
  return typedText(max, { lineBreaks: false, min: 1, minMessage: 'must not be empty' }).refine((name) => NAME.test(name), {
    message: 'letters, with spaces, hyphens, apostrophes or periods between them',
    when: (payload) => payload.issues.length === 0,
  });
}

/** A machine identifier typed into a filter: letters, digits and _ . : - only. */
export function identifierText(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
}
