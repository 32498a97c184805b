// Refusals of bad generator options: a stable code and the option at fault, never patient data.

export type SyntheticErrorCode = 'bad_option' | 'unknown_chromosome' | 'bad_sample_name';

export class SyntheticDataError extends Error {
  constructor(
    readonly code: SyntheticErrorCode,
    /** the option that is wrong, e.g. 'variantsPerSample' or 'samples[3]' */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'SyntheticDataError';
  }
}
