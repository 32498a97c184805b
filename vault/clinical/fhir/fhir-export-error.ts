// The one error the FHIR exporter throws on purpose: its input broke the contract. It names the
// field and the row index, never the value (a value may be a variant or a name).

export class FhirExportError extends Error {
  readonly code = 'fhir_export_invalid_input';

  constructor(
    /** where, e.g. `variants[3].pos` */
    readonly path: string,
    /** what is wrong, in words that carry no patient data */
    readonly problem: string,
  ) {
    super(`FHIR export: ${path} ${problem}`);
    this.name = 'FhirExportError';
  }
}
