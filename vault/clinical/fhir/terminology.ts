// Every code system and code the exporter writes, in one place, so that a reviewer checks them
// once. LOINC codes and answers follow the HL7 FHIR Genomics Reporting IG (STU3, `variant` and
// `diagnostic-implication` profiles) and the LOINC answer lists named beside them.
import type { Coding } from './fhir-types.ts';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  /** HL7 v2 table 0074, diagnostic service section: GE = Genetics */
  diagnosticService: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  /** HL7 v2 table 0203, identifier type: MR = medical record number */
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** WHO ICD-10; a US deployment recording ICD-10-CM would use http://hl7.org/fhir/sid/icd-10-cm */
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  hpo: 'http://human-phenotype-ontology.org',
  hgvs: 'http://varnomen.hgvs.org',
  refSeq: 'http://www.ncbi.nlm.nih.gov/refseq',
  ucum: 'http://unitsofmeasure.org',
  dbSnp: 'http://www.ncbi.nlm.nih.gov/projects/SNP',
  /** the IG's own code system for concepts LOINC does not have yet */
  genomicsTbd: 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs',
} as const;

export const PROFILE = {
  /** STU3's name; STU2 called the same profile `genomics-report` */
  genomicReport: 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genomic-report',
  variant: 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant',
  diagnosticImplication: 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/diagnostic-implication',
} as const;

/**
 * Default system for the MRN identifier. A URN under our product name, not a registered
 * namespace: a hospital should pass its own assigning-authority URI (often `urn:oid:...`).
 */
export const DEFAULT_MRN_SYSTEM = 'urn:genovault:mrn';

const loinc = (code: string, display: string): Coding => ({ system: SYSTEM.loinc, code, display });

/** Observation.code and component.code values. */
export const LOINC = {
  geneticVariantAssessment: loinc('69548-6', 'Genetic variant assessment'),
  geneStudied: loinc('48018-6', 'Gene studied [ID]'),
  // The IG's `variation-code` slice: an accession in a variant database (dbSNP here); a
  // readable `chr17:g.43045712C>T` form rides in the same concept's text.
  discreteGeneticVariant: loinc('81252-9', 'Discrete genetic variant'),
  genomicHgvs: loinc('81290-9', 'Genomic DNA change (gHGVS)'),
  codingHgvs: loinc('48004-6', 'DNA change (c.HGVS)'),
  proteinHgvs: loinc('48005-3', 'Amino acid change (pHGVS)'),
  allelicFrequency: loinc('81258-6', 'Sample variant allelic frequency [NFr]'),
  allelicReadDepth: loinc('82121-5', 'Allelic read depth'),
  genomicReferenceSequence: loinc('48013-7', 'Genomic reference sequence [ID]'),
  genomicRefAllele: loinc('69547-8', 'Genomic ref allele [ID]'),
  genomicAltAllele: loinc('69551-0', 'Genomic alt allele [ID]'),
  allelicState: loinc('53034-5', 'Allelic state'),
  referenceAssembly: loinc('62374-4', 'Human reference sequence assembly version'),
  coordinateSystem: loinc('92822-6', 'Genomic coordinate system [Type]'),
  alleleStartEnd: loinc('81254-5', 'Genomic allele start-end'),
  // 48002-0, not 82155-3: 82155-3 is "Genomic structural variant copy number".
  genomicSourceClass: loinc('48002-0', 'Genomic source class [Type]'),
  clinicalSignificance: loinc('53037-8', 'Genetic variation clinical significance [Imp]'),
  /** DiagnosticReport.code of the variant report */
  geneticAnalysisReport: loinc('51969-4', 'Genetic analysis report'),
} as const;

/** LOINC answers (LA codes), grouped by the answer list they come from. */
export const ANSWER = {
  /** LL1971-2 */
  present: loinc('LA9633-4', 'Present'),
  /** LL381-5 */
  heterozygous: loinc('LA6706-1', 'Heterozygous'),
  homozygous: loinc('LA6705-3', 'Homozygous'),
  hemizygous: loinc('LA6707-9', 'Hemizygous'),
  /** LL1040-6 */
  grch37: loinc('LA14029-5', 'GRCh37'),
  grch38: loinc('LA26806-2', 'GRCh38'),
  /** LL5323-2 */
  zeroBasedInterval: loinc('LA30100-4', '0-based interval counting'),
  /** LL378-1 */
  germline: loinc('LA6683-2', 'Germline'),
} as const;

/** LL4034-6, the ACMG five-tier answers for 53037-8. */
export const CLINICAL_SIGNIFICANCE_ANSWER = {
  pathogenic: loinc('LA6668-3', 'Pathogenic'),
  likely_pathogenic: loinc('LA26332-9', 'Likely pathogenic'),
  uncertain_significance: loinc('LA26333-7', 'Uncertain significance'),
  likely_benign: loinc('LA26334-5', 'Likely benign'),
  benign: loinc('LA6675-8', 'Benign'),
} as const;

export const CATEGORY = {
  laboratory: { system: SYSTEM.observationCategory, code: 'laboratory', display: 'Laboratory' },
  genetics: { system: SYSTEM.diagnosticService, code: 'GE', display: 'Genetics' },
  /** DiagnosticReport.category takes the v2-0074 diagnostic service sections */
  laboratoryService: { system: SYSTEM.diagnosticService, code: 'LAB', display: 'Laboratory' },
} as const satisfies Record<string, Coding>;

export const DIAGNOSTIC_IMPLICATION: Coding = { system: SYSTEM.genomicsTbd, code: 'diagnostic-implication', display: 'Diagnostic Implication' };

export const MEDICAL_RECORD_NUMBER: Coding = { system: SYSTEM.identifierType, code: 'MR', display: 'Medical record number' };
