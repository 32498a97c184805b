// Distinct strings numbered in order of first appearance: genotype texts per chunk, and per
// ingest batch the genotype strings its allele tables list.

export class StringIndex {
  /** the strings, by number */
  readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();

  /** The number of `text`, given it the first time. */
  numberOf(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }
}
