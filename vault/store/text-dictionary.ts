// One engine-wide dictionary for the text the engine filters and groups on (ref, alt, genotype,
// gene, significance): DuckDB tables hold integer codes, so loads stay numeric and the same
// allele has the same code in every sample. Codes are reference-counted per loaded partition;
// a string no loaded partition uses any more leaves the dictionary (erasure reaches it too).
import { listValue, LIST, INTEGER, type DuckDBConnection } from '@duckdb/node-api';

export const DICTIONARY_TABLE = 'dict';

export class TextDictionary {
  private readonly codes = new Map<string, number>();
  private readonly values = new Map<number, string>();
  private readonly refs = new Map<number, number>();
  private nextCode = 0;

  private constructor(private readonly connection: DuckDBConnection) {}

  static async create(connection: DuckDBConnection): Promise<TextDictionary> {
    await connection.run(`CREATE TABLE ${DICTIONARY_TABLE} (code INTEGER NOT NULL, value VARCHAR NOT NULL)`);
    return new TextDictionary(connection);
  }

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
  async acquire(values: readonly string[]): Promise<Int32Array> {
    const out = new Int32Array(values.length);
    const added: [number, string][] = [];
    values.forEach((value, i) => {
      let code = this.codes.get(value);
      if (code === undefined) {
        code = this.nextCode++;
        this.codes.set(value, code);
        this.values.set(code, value);
        added.push([code, value]);
      }
      this.refs.set(code, (this.refs.get(code) ?? 0) + 1);
      out[i] = code;
    });
    if (added.length > 0) await this.insert(added);
    return out;
  }

  /** Drops one reference on each code; codes left unreferenced are deleted. */
  async release(codes: Int32Array): Promise<void> {
    const dead: number[] = [];
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
      dead.push(code);
    }
    if (dead.length > 0) {
      await this.connection.run(`DELETE FROM ${DICTIONARY_TABLE} WHERE code IN (SELECT unnest($1))`, [listValue(dead)], [LIST(INTEGER)]);
    }
  }

  private async insert(entries: [number, string][]): Promise<void> {
    const appender = await this.connection.createAppender(DICTIONARY_TABLE);
    try {
      for (const [code, value] of entries) {
        appender.appendInteger(code);
        appender.appendVarchar(value);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}
