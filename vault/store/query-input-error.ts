// A query the vault cannot answer as asked: a bad region, an unknown gene, term, contig or build.
// Messages say what is valid and never repeat the value given (answers over HTTP must not echo it).

/** The query parameter at fault, so the HTTP layer can name it (`query.<field>`). */
export type QueryField = 'region' | 'gene' | 'significance' | 'build' | 'variant';

export class QueryInputError extends Error {
  readonly code = 'BAD_QUERY';
  constructor(
    message: string,
    readonly field?: QueryField,
  ) {
    super(message);
    this.name = 'QueryInputError';
  }
}
