// Parses and validates a chunk of whole body lines, byte by byte: fixed columns are checked in place,
// text is decoded only for what is kept. Cross-record rules (sorting, duplicates) run later, in order.
import { MISSING_INT } from '../call-columns.ts';
import { VcfProblemError, locatedWarning, type VcfProblem } from './vcf-format-error.ts';
import { LineCursor } from './line-cursor.ts';
import { AlleleKind, checkAlt, checkChrom, checkFilter, checkId, checkRef, isPass, readPos, type AlleleKindValue } from './fixed-columns.ts';
import { checkQual, readInt } from './typed-values.ts';
import { InfoChecker, type InfoCapture } from './info-column.ts';
import { FormatChecker, checkSample, type FormatSpec, type SampleContext } from './sample-columns.ts';
import { FastSampleReader } from './sample-fast.ts';
import { Genotype } from './genotype.ts';
import { annotateAlleles } from './annotations.ts';
import { normaliseChrom } from './chrom-names.ts';
import { alleleKey } from './allele-key.ts';
import { CallRows } from './call-rows.ts';
import { Grow, int32s, type ChunkResult, type SiteTable } from './chunk-result.ts';
import { StringIndex } from './string-index.ts';
import { isModern, type VcfHeader } from './vcf-header.ts';

const TAB = 9;
const NL = 10;
/** errors a chunk records when the parser keeps going (validate); the reader stops at as many overall */
export const MAX_ERRORS = 100;

export interface ChunkParserOptions {
  /**
   * false: every sample column goes through the general checker and coverage is always tracked. The
   * output is the same either way; tests use this as the reference the shortcuts are compared with.
   */
  shortcuts?: boolean;
}

export class ChunkParser {
  private readonly info: InfoChecker;
  private readonly format: FormatChecker;
  private readonly cursor: LineCursor;
  private readonly gt = new Genotype();
  /** byte ranges (start, end) of the current sample column's DP, GQ and AD; -1 when absent */
  private readonly slots = new Int32Array(6);
  /** the current sample column's AD values (MISSING_INT for '.'), read once per column with calls */
  private depths = new Int32Array(8);
  private readonly kinds: AlleleKindValue[] = [];
  private readonly capture: InfoCapture = { end: null, ann: null, csq: null, geneinfo: null, mc: null, clnsig: null };
  private readonly columns: number;
  private readonly modern: boolean;
  private readonly shortcuts: boolean;
  private readonly fast = new Map<FormatSpec, FastSampleReader | null>();
  /** whether coverage is tracked: off until a chunk with reference blocks is seen */
  private coverage: boolean;
  /** rows to make room for in the next chunk: a little more than this one had */
  private callCapacity = 0;

  constructor(private readonly header: VcfHeader, options: ChunkParserOptions = {}) {
    this.shortcuts = options.shortcuts ?? true;
    this.coverage = !this.shortcuts;
    this.cursor = new LineCursor(header.strict);
    this.info = new InfoChecker(header);
    this.format = new FormatChecker(header);
    this.columns = header.hasFormatColumn ? 9 + header.samples.length : 8;
    this.modern = isModern(header.version);
  }

  parse(buf: Uint8Array, firstLine: number): ChunkResult {
    let result = this.parseChunk(buf, firstLine);
    // Coverage is kept only for chunks with reference blocks (a gVCF); skip its bookkeeping until one is
    // seen, then redo that chunk with it, and keep it on for the chunks that follow.
    if (!this.coverage && result.refBlocks > 0) {
      this.coverage = true;
      result = this.parseChunk(buf, firstLine);
    }
    // warnings are taken after any redo: the redo finds the same ones, already reported once by the cursor
    result.warnings.push(...this.cursor.warnings.splice(0));
    return result;
  }

  private parseChunk(buf: Uint8Array, firstLine: number): ChunkResult {
    const state = new ChunkState(this.header.samples.length, this.header.version.minor >= 3, this.callCapacity);
    const cursor = this.cursor;
    cursor.setBuffer(buf);
    const errors: VcfProblem[] = [];
    let lineStart = 0;
    let lineNo = firstLine;
    for (;;) {
      try {
        while (lineStart < buf.length) {
          let lineEnd = buf.indexOf(NL, lineStart);
          if (lineEnd < 0) lineEnd = buf.length;
          let contentEnd = lineEnd;
          if (contentEnd > lineStart && buf[contentEnd - 1] === 13) contentEnd--;
          cursor.lineStart = lineStart;
          cursor.lineNo = lineNo;
          this.parseRecord(lineStart, contentEnd, state);
          lineStart = lineEnd + 1;
          lineNo++;
        }
        break;
      } catch (err) {
        if (!(err instanceof VcfProblemError)) throw err;
        errors.push(err.problem);
        // ingest stops at the first error; validate goes on with the next line
        if (!this.header.keepGoing || errors.length >= MAX_ERRORS) break;
        const lineEnd = buf.indexOf(NL, lineStart);
        lineStart = lineEnd < 0 ? buf.length : lineEnd + 1;
        lineNo++;
      }
    }
    this.callCapacity = state.calls.length + (state.calls.length >> 3);
    return state.finish(firstLine, errors[0] ?? null, errors.slice(1));
  }

  private parseRecord(s: number, e: number, state: ChunkState): void {
    const cursor = this.cursor;
    const b = cursor.buf;
    if (s === e) cursor.failAt(s, 'empty line in the body');
    if (b[s] === 35) cursor.failAt(s, 'header line after the #CHROM line');
    const tabs = state.tabs;
    let n = 0;
    for (let i = s; i < e && n < 9; i++) if (b[i] === TAB) tabs[n++] = i;
    if (n < 7) cursor.failAt(s, `record has ${n + 1} column(s); at least 8 are required (columns are tab-separated)`);
    const t = tabs;
    const chromIdx = state.chromIndex(cursor, s, t[0] ?? 0);
    const pos = readPos(cursor, (t[0] ?? 0) + 1, t[1] ?? 0);
    checkId(cursor, (t[1] ?? 0) + 1, t[2] ?? 0);
    const ref = checkRef(cursor, (t[2] ?? 0) + 1, t[3] ?? 0);
    const alts = checkAlt(cursor, (t[3] ?? 0) + 1, t[4] ?? 0, this.kinds);
    const qual = checkQual(cursor, (t[4] ?? 0) + 1, t[5] ?? 0);
    const filterEnd = t[6] ?? 0;
    checkFilter(cursor, (t[5] ?? 0) + 1, filterEnd);
    const infoEnd = n >= 8 ? (t[7] ?? 0) : e;
    const altMissing = alts.length === 0;
    this.info.check(cursor, filterEnd + 1, infoEnd, alts.length, altMissing, this.capture);
    const record = state.addRecord(chromIdx, pos, cursor.lineNo);
    this.addKeys(state, record, pos, ref, alts);
    if (this.columns === 8) {
      if (n > 7) cursor.failAt(infoEnd, 'record has more than the 8 columns of a file without samples');
      return;
    }
    if (n < 9) cursor.failAt(e, `record has 8 columns but the header declares FORMAT and ${this.header.samples.length} sample(s)`);
    this.parseSamples(state, infoEnd + 1, e, pos, ref, alts, qual);
  }

  private addKeys(state: ChunkState, record: number, pos: number, ref: string, alts: string[]): void {
    for (let j = 0; j < alts.length; j++) {
      if (this.kinds[j] !== AlleleKind.bases) continue;
      const key = alleleKey(pos, ref, alts[j] ?? '');
      state.keyRec.push(record);
      state.keyPos.push(key.pos);
      state.keyH1.push(key.h1);
      state.keyH2.push(key.h2);
    }
  }

  private parseSamples(state: ChunkState, formatStart: number, e: number, pos: number, ref: string, alts: string[], qual: number): void {
    const cursor = this.cursor;
    const b = cursor.buf;
    const formatEnd = b.indexOf(TAB, formatStart);
    if (formatEnd < 0 || formatEnd > e) cursor.failAt(e, `record has no sample columns but the header declares ${this.header.samples.length}`);
    const spec = this.format.spec(cursor, formatStart, formatEnd);
    const ctx: SampleContext = { altCount: alts.length, altMissing: alts.length === 0, allowEmpty: this.modern, allowLeadingPhase: this.modern };
    const refBlock = this.isRefBlock(alts.length);
    const blockEnd = refBlock ? (this.capture.end ?? pos) : pos + ref.length - 1;
    const fast = this.fastReader(spec);
    fast?.startRecord(ctx);
    const gt = this.gt;
    const slots = this.slots;
    const coverage = this.coverage;
    const calls = !refBlock && !ctx.altMissing;
    let site = -1;
    let start = formatEnd + 1;
    const last = this.header.samples.length - 1;
    for (let sample = 0; sample <= last; sample++) {
      let end = fast ? fast.read(b, start, e, gt, slots) : -1;
      // the fast reader stops at the next TAB; a column count off by one is for the general path to word
      if (end < 0 || (end === e) !== (sample === last)) end = this.checkColumn(spec, ctx, sample, start, e);
      if (coverage && gt.ploidy > 0 && gt.anyCalled) {
        if (refBlock) {
          if (!gt.anyAlt) state.cover(sample, state.lastChrom, pos, blockEnd);
        } else {
          state.cover(sample, state.lastChrom, pos, pos + ref.length - 1);
        }
      }
      if (calls && gt.anyAlt) site = this.addCalls(state, sample, site, spec.gt > 0 ? subfieldStart(b, start, end, spec.gt) : start, end, pos, ref, alts, qual);
      start = end + 1;
    }
    if (refBlock) state.refBlocks++;
  }

  /** The general path for one sample column: finds its end, checks the column count, then checkSample. */
  private checkColumn(spec: FormatSpec, ctx: SampleContext, sample: number, start: number, e: number): number {
    const cursor = this.cursor;
    const b = cursor.buf;
    const sampleCount = this.header.samples.length;
    const last = sample === sampleCount - 1;
    const end = last ? e : b.indexOf(TAB, start);
    if (end < 0 || end > e) cursor.failAt(e, `record has ${sample} sample column(s) but the header declares ${sampleCount}`);
    if (last && b.indexOf(TAB, start) >= 0 && b.indexOf(TAB, start) < e) {
      cursor.failAt(b.indexOf(TAB, start), `record has more sample columns than the ${sampleCount} in the header`);
    }
    checkSample(cursor, start, end, spec, ctx, this.gt, this.slots);
    return end;
  }

  private fastReader(spec: FormatSpec): FastSampleReader | null {
    let reader = this.fast.get(spec);
    if (reader === undefined) {
      // GT anywhere but first (Complete Genomics) is rare enough for the general path alone
      reader = this.shortcuts && spec.keys.length > 0 && spec.gt <= 0 ? new FastSampleReader(spec) : null;
      this.fast.set(spec, reader);
    }
    return reader;
  }

  private isRefBlock(altCount: number): boolean {
    if (altCount === 0 || this.capture.end === null) return false;
    for (let j = 0; j < altCount; j++) if (this.kinds[j] !== AlleleKind.nonRef) return false;
    return true;
  }

  /** `gtStart`: where the column's GT value starts (its start, unless GT is not the first key). */
  private addCalls(state: ChunkState, sample: number, site: number, gtStart: number, end: number, pos: number, ref: string, alts: string[], qual: number): number {
    const gt = this.gt;
    const cursor = this.cursor;
    let depthCount = -1;
    for (let k = 0; k < gt.ploidy; k++) {
      const allele = gt.alleles[k] ?? 0;
      if (allele <= 0 || !gt.firstOccurrence(k)) continue;
      const kind = this.kinds[allele - 1];
      if (kind === AlleleKind.nonRef || kind === AlleleKind.star) continue;
      if (allele > 255) {
        state.warnOnce(locatedWarning(cursor.lineNo, cursor.columnAt(gtStart), `a call of ALT allele ${allele} was not stored (allele index above 255)`));
        continue;
      }
      if (site < 0) site = this.addSite(state, pos, ref, alts, qual);
      const b = cursor.buf;
      const slots = this.slots;
      const dp = (slots[0] ?? -1) >= 0 ? readInt(b, slots[0] ?? 0, slots[1] ?? 0, MISSING_INT) : MISSING_INT;
      const gq = (slots[2] ?? -1) >= 0 ? readInt(b, slots[2] ?? 0, slots[3] ?? 0, MISSING_INT) : MISSING_INT;
      if (depthCount < 0) depthCount = (slots[4] ?? -1) >= 0 ? this.readDepths(b, slots[4] ?? 0, slots[5] ?? 0) : 0;
      const depths = this.depths;
      let other = depthCount > 1 ? 0 : MISSING_INT;
      for (let j = 1; j < depthCount; j++) if (j !== allele && (depths[j] ?? -1) > 0) other += depths[j] ?? 0;
      state.calls.add(
        sample, site, allele, gt.zygosityOf(allele), gt.phased ? 1 : 0, dp, gq, state.gtIndex(cursor, gtStart, end),
        depthCount > 0 ? (depths[0] ?? MISSING_INT) : MISSING_INT, allele < depthCount ? (depths[allele] ?? MISSING_INT) : MISSING_INT, other,
      );
    }
    return site;
  }

  /** FORMAT AD [s, e) into `depths`, one value per allele (MISSING_INT for '.', or a negative value); returns the count. */
  private readDepths(b: Uint8Array, s: number, e: number): number {
    let n = 0;
    let start = s;
    for (let i = s; i <= e; i++) {
      if (i < e && b[i] !== 44) continue;
      if (n === this.depths.length) {
        const larger = new Int32Array(n * 2);
        larger.set(this.depths);
        this.depths = larger;
      }
      const value = readInt(b, start, i, MISSING_INT);
      this.depths[n++] = value < 0 ? MISSING_INT : value;
      start = i + 1;
    }
    return n;
  }

  private addSite(state: ChunkState, pos: number, ref: string, alts: string[], qual: number): number {
    const cursor = this.cursor;
    const t = state.tabs;
    const id = optionalText(cursor, (t[1] ?? 0) + 1, t[2] ?? 0);
    const filter = optionalText(cursor, (t[5] ?? 0) + 1, t[6] ?? 0);
    const annotation = annotateAlleles(this.capture, ref, alts, this.header.csqFields);
    const sites = state.sites;
    sites.chrom.push(state.lastChromNormalised);
    sites.pos.push(pos);
    sites.id.push(id);
    sites.ref.push(ref);
    sites.alts.push(alts);
    sites.filter.push(filter);
    sites.qual.push(qual);
    sites.gene.push(annotation.gene);
    sites.consequence.push(annotation.consequence);
    sites.hgvsC.push(annotation.hgvsC);
    sites.hgvsP.push(annotation.hgvsP);
    sites.clnsig.push(this.capture.clnsig);
    return sites.ref.length - 1;
  }
}

/** Where the `index`-th ':'-separated field of the sample column [s, e) starts (e when it has fewer). */
function subfieldStart(b: Uint8Array, s: number, e: number, index: number): number {
  let i = s;
  for (let k = 0; k < index; k++) {
    while (i < e && b[i] !== 58) i++;
    if (i >= e) return e;
    i++;
  }
  return i;
}

/** ID or FILTER as kept: null for '.', and 'PASS' without decoding it. */
function optionalText(cursor: LineCursor, s: number, e: number): string | null {
  const b = cursor.buf;
  if (e - s === 1 && b[s] === 46) return null;
  return isPass(b, s, e) ? 'PASS' : cursor.text(s, e);
}

/**
 * Empty columns that already have the elements kind their values need (V8 starts `[]` as small
 * integers): each kind change on a first push deoptimised addSite, once per push and per thread,
 * ~20 recompilations of it per ingest (measured with --trace-deopt).
 */
function objectColumn<T>(): T[] {
  const column: unknown[] = [null];
  column.pop();
  return column as T[];
}

function doubleColumn(): number[] {
  const column = [0.5];
  column.pop();
  return column;
}

/** Accumulates one chunk's output. */
class ChunkState {
  readonly tabs = new Int32Array(9);
  readonly chromNames: string[] = [];
  private readonly chromNormalised: string[] = [];
  private lastChromBytes: Uint8Array | null = null;
  lastChrom = -1;
  lastChromNormalised = '';
  readonly recChrom = new Grow(int32s);
  readonly recPos = new Grow(int32s);
  readonly recLine = new Grow(int32s);
  readonly keyRec = new Grow(int32s);
  readonly keyPos = new Grow(int32s);
  readonly keyH1 = new Grow(int32s);
  readonly keyH2 = new Grow(int32s);
  readonly sites: SiteTable = {
    chrom: objectColumn(), pos: [], id: objectColumn(), ref: objectColumn(), alts: objectColumn(), filter: objectColumn(),
    qual: doubleColumn(), gene: objectColumn(), consequence: objectColumn(), hgvsC: objectColumn(), hgvsP: objectColumn(), clnsig: objectColumn(),
  };
  readonly calls: CallRows;
  private readonly gtTexts = new StringIndex();
  private readonly gtShort = new Map<number, number>();
  private readonly gtDiploid = new Int32Array(200).fill(-1);
  refBlocks = 0;
  readonly covSample = new Grow(int32s);
  readonly covChrom = new Grow(int32s);
  readonly covStart = new Grow(int32s);
  readonly covEnd = new Grow(int32s);
  private readonly lastCover: Int32Array;
  private readonly warnings: string[] = [];
  private records = 0;

  constructor(sampleCount: number, private readonly noStar: boolean, callCapacity: number) {
    this.calls = new CallRows(callCapacity);
    this.lastCover = new Int32Array(sampleCount).fill(-1);
  }

  chromIndex(cursor: LineCursor, s: number, e: number): number {
    const b = cursor.buf;
    const last = this.lastChromBytes;
    if (last && last.length === e - s) {
      let same = true;
      for (let i = 0; i < last.length; i++) {
        if (last[i] !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastChrom;
    }
    checkChrom(cursor, s, e, this.noStar);
    const name = cursor.text(s, e);
    let index = this.chromNames.indexOf(name);
    if (index < 0) {
      index = this.chromNames.length;
      this.chromNames.push(name);
      this.chromNormalised.push(normaliseChrom(name));
    }
    this.lastChromBytes = b.slice(s, e);
    this.lastChrom = index;
    this.lastChromNormalised = this.chromNormalised[index] ?? name;
    return index;
  }

  addRecord(chrom: number, pos: number, line: number): number {
    this.recChrom.push(chrom);
    this.recPos.push(pos);
    this.recLine.push(line);
    return this.records++;
  }

  gtIndex(cursor: LineCursor, start: number, end: number): number {
    const b = cursor.buf;
    let gtEnd = start;
    while (gtEnd < end && b[gtEnd] !== 58) gtEnd++;
    if (gtEnd - start > 3) return this.gtTexts.numberOf(cursor.ascii(start, gtEnd));
    if (gtEnd - start === 3) {
      // 'a/b' and 'a|b' with one-digit alleles, the bulk of calls: a table instead of a Map
      const a0 = (b[start] ?? 0) - 48;
      const sep = b[start + 1];
      const a1 = (b[start + 2] ?? 0) - 48;
      if (a0 >= 0 && a0 <= 9 && a1 >= 0 && a1 <= 9 && (sep === 47 || sep === 124)) {
        const slot = (a0 * 10 + a1) * 2 + (sep === 124 ? 1 : 0);
        let index = this.gtDiploid[slot] ?? -1;
        if (index < 0) {
          index = this.gtTexts.numberOf(cursor.ascii(start, gtEnd));
          this.gtDiploid[slot] = index;
        }
        return index;
      }
    }
    // short GTs ('0/1', '1') are looked up by their bytes, so no string is made per call
    let key = gtEnd - start;
    for (let i = start; i < gtEnd; i++) key = key * 256 + (b[i] ?? 0);
    let index = this.gtShort.get(key);
    if (index === undefined) {
      index = this.gtTexts.numberOf(cursor.ascii(start, gtEnd));
      this.gtShort.set(key, index);
    }
    return index;
  }

  /** Adds [start, end] to the sample's coverage, extending its last interval when they touch. */
  cover(sample: number, chrom: number, start: number, end: number): void {
    const last = this.lastCover[sample] ?? -1;
    if (last >= 0 && this.covChrom.data[last] === chrom && start <= (this.covEnd.data[last] ?? 0) + 1) {
      if (end > (this.covEnd.data[last] ?? 0)) this.covEnd.data[last] = end;
      return;
    }
    this.lastCover[sample] = this.covSample.length;
    this.covSample.push(sample);
    this.covChrom.push(chrom);
    this.covStart.push(start);
    this.covEnd.push(end);
  }

  warnOnce(message: string): void {
    if (this.warnings.length < 20) this.warnings.push(message);
  }

  finish(firstLine: number, error: ChunkResult['error'], moreErrors: VcfProblem[]): ChunkResult {
    // Coverage only means something in a gVCF; a chunk without reference blocks keeps none (bounded memory).
    const keepCoverage = this.refBlocks > 0;
    const empty = new Int32Array(0);
    return {
      firstLine,
      records: this.records,
      chromNames: this.chromNames,
      recChrom: this.recChrom.finish(),
      recPos: this.recPos.finish(),
      recLine: this.recLine.finish(),
      keyRec: this.keyRec.finish(),
      keyPos: this.keyPos.finish(),
      keyH1: this.keyH1.finish(),
      keyH2: this.keyH2.finish(),
      sites: this.sites,
      ...this.calls.finish(),
      gtTable: this.gtTexts.values,
      refBlocks: this.refBlocks,
      covSample: keepCoverage ? this.covSample.finish() : empty,
      covChrom: keepCoverage ? this.covChrom.finish() : empty.slice(),
      covStart: keepCoverage ? this.covStart.finish() : empty.slice(),
      covEnd: keepCoverage ? this.covEnd.finish() : empty.slice(),
      warnings: this.warnings,
      error,
      moreErrors,
    };
  }
}
