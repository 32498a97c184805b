// One engine-wide dictionary for the text the engine filters and groups on (ref, alt, genotype,
// gene, significance): DuckDB tables hold integer codes, so loads stay numeric and the same
// allele has the same code in every sample. Codes are reference-counted per loaded partition;
// a string no loaded partition uses any more leaves the dictionary (erasure reaches it too).
// It lives in JS only: text filters are resolved to codes before the SQL runs (loaded-partition.ts),
// so DuckDB never needs the strings, and a load costs no dictionary insert (~2 ms per cold query here).

export class TextDictionary {
  private readonly codes = new Map<string, number>();
  private readonly values = new Map<number, string>();
  private readonly refs = new Map<number, number>();
  private nextCode = 0;

  get size(): number {
    return this.codes.size;
  }

  code(value: string): number | undefined {
    return this.codes.get(value);
  }

  value(code: number): string {
    const value = this.values.get(code);
    if (value === undefined) throw new Error(`text code ${code} is not in the dictionary`);
    return value;
  }

  /** Returns the global code of each value (by index), taking one reference on each. */
  acquire(values: readonly string[]): Int32Array {
    const out = new Int32Array(values.length);
    values.forEach((value, i) => {
      let code = this.codes.get(value);
      if (code === undefined) {
        code = this.nextCode++;
        this.codes.set(value, code);
        this.values.set(code, value);
      }
      this.refs.set(code, (this.refs.get(code) ?? 0) + 1);
      out[i] = code;
    });
    return out;
  }

  /** Drops one reference on each code; codes left unreferenced are deleted. */
  release(codes: Int32Array): void {
    for (const code of codes) {
      const left = (this.refs.get(code) ?? 0) - 1;
      if (left > 0) {
        this.refs.set(code, left);
        continue;
      }
      this.refs.delete(code);
      const value = this.values.get(code);
      if (value !== undefined) this.codes.delete(value);
      this.values.delete(code);
    }
  }
}
