// One variant row → one Observation on the Genomics Reporting IG `variant` profile.
// Only what the row establishes is said: a component whose value we do not know is left out
// rather than guessed (no build → no assembly, accession or gHGVS; './1' → no allelic state).
import type { CodeableConcept, Coding, Observation, ObservationComponent, Reference } from './fhir-types.ts';
import type { VariantRow, VariantZygosity } from './variant-row.ts';
import type { ReferenceBuild } from '../../../schemas/refseq-accessions.ts';
import { refSeqAccession } from '../../../schemas/refseq-accessions.ts';
import { ANSWER, CATEGORY, LOINC, PROFILE, SYSTEM } from './terminology.ts';
import { genomicHgvs, interbaseInterval, isPlainAllele, readableVariantName } from './variant-notation.ts';

const ALLELIC_STATE: Record<VariantZygosity, Coding | null> = {
  het: ANSWER.heterozygous,
  hom_alt: ANSWER.homozygous,
  hemizygous: ANSWER.hemizygous,
  // './1': one copy seen, the other call missing; neither answer is known to be true.
  missing: null,
};

const ASSEMBLY: Record<ReferenceBuild, Coding> = { GRCh37: ANSWER.grch37, GRCh38: ANSWER.grch38 };

const DBSNP_ID = /^rs[0-9]+$/;

/** A fresh array each time: resources in one bundle share no mutable parts. */
export function genomicsCategories(): CodeableConcept[] {
  return [{ coding: [{ ...CATEGORY.laboratory }] }, { coding: [{ ...CATEGORY.genetics }] }];
}

const coded = (code: Coding, value: CodeableConcept): ObservationComponent => ({ code: { coding: [code] }, valueCodeableConcept: value });

function geneStudied(gene: string | null): ObservationComponent[] {
  // The row carries the HGNC symbol only; without the HGNC id the IG allows the symbol as text.
  return gene ? [coded(LOINC.geneStudied, { text: gene })] : [];
}

function variationCode(row: VariantRow): ObservationComponent {
  const rsIds = (row.id ?? '').split(';').filter((id) => DBSNP_ID.test(id));
  const value: CodeableConcept = { text: readableVariantName(row.chrom, row.pos, row.ref, row.alt) };
  if (rsIds.length > 0) value.coding = rsIds.map((code) => ({ system: SYSTEM.dbSnp, code }));
  return coded(LOINC.discreteGeneticVariant, value);
}

function referenceComponents(row: VariantRow, build: ReferenceBuild | null, buildName: string | null): ObservationComponent[] {
  // a build LOINC has no answer for here (NCBI36) is still said, as text
  if (!build) return buildName ? [coded(LOINC.referenceAssembly, { text: buildName })] : [];
  const components = [coded(LOINC.referenceAssembly, { coding: [ASSEMBLY[build]] })];
  const accession = refSeqAccession(row.chrom, build);
  if (!accession) return components;
  components.push(coded(LOINC.genomicReferenceSequence, { coding: [{ system: SYSTEM.refSeq, code: accession }] }));
  const hgvs = genomicHgvs(accession, row.pos, row.ref, row.alt);
  if (hgvs) components.push(coded(LOINC.genomicHgvs, { coding: [{ system: SYSTEM.hgvs, code: hgvs }] }));
  return components;
}

function alleleComponents(row: VariantRow): ObservationComponent[] {
  const components: ObservationComponent[] = [];
  if (isPlainAllele(row.ref)) components.push({ code: { coding: [LOINC.genomicRefAllele] }, valueString: row.ref });
  if (isPlainAllele(row.alt)) components.push({ code: { coding: [LOINC.genomicAltAllele] }, valueString: row.alt });
  // A symbolic ALT (<DEL>, breakends) spans more than REF; its end is not in the row, so no range.
  if (isPlainAllele(row.ref) && isPlainAllele(row.alt)) {
    const { start, end } = interbaseInterval(row.pos, row.ref);
    components.push(coded(LOINC.coordinateSystem, { coding: [ANSWER.zeroBasedInterval] }));
    components.push({ code: { coding: [LOINC.alleleStartEnd] }, valueRange: { low: { value: start }, high: { value: end } } });
  }
  return components;
}

/** c. and p. HGVS as the annotator wrote them: a code when it names its reference sequence (NM_...:c.), else text. */
function hgvsComponents(row: VariantRow): ObservationComponent[] {
  const components: ObservationComponent[] = [];
  const add = (code: Coding, hgvs: string | null | undefined): void => {
    if (!hgvs) return;
    components.push(coded(code, hgvs.includes(':') ? { coding: [{ system: SYSTEM.hgvs, code: hgvs }] } : { text: hgvs }));
  };
  add(LOINC.codingHgvs, row.hgvsC);
  add(LOINC.proteinHgvs, row.hgvsP);
  return components;
}

/** The IG's allelic frequency (a fraction, UCUM 1) and allelic read depth ({reads}), from FORMAT AD. */
function depthComponents(row: VariantRow): ObservationComponent[] {
  const components: ObservationComponent[] = [];
  if (row.vaf !== undefined && row.vaf !== null) {
    components.push({ code: { coding: [LOINC.allelicFrequency] }, valueQuantity: { value: row.vaf, unit: 'relative frequency of a particular allele in the specimen', system: SYSTEM.ucum, code: '1' } });
  }
  if (row.adAlt !== undefined && row.adAlt !== null) {
    components.push({ code: { coding: [LOINC.allelicReadDepth] }, valueQuantity: { value: row.adAlt, unit: 'reads', system: SYSTEM.ucum, code: '{reads}' } });
  }
  return components;
}

export interface VariantObservationInput {
  id: string;
  subject: Reference;
  row: VariantRow;
  build: ReferenceBuild | null;
  /** the build as the vault recorded it, for a build without a LOINC answer */
  buildName?: string | null;
}

export function variantObservation({ id, subject, row, build, buildName = null }: VariantObservationInput): Observation {
  const allelicState = ALLELIC_STATE[row.zygosity];
  return {
    resourceType: 'Observation',
    id,
    meta: { profile: [PROFILE.variant] },
    status: 'final',
    category: genomicsCategories(),
    code: { coding: [LOINC.geneticVariantAssessment] },
    subject,
    valueCodeableConcept: { coding: [ANSWER.present] },
    component: [
      ...geneStudied(row.gene),
      variationCode(row),
      ...referenceComponents(row, build, buildName),
      ...alleleComponents(row),
      ...hgvsComponents(row),
      ...(allelicState ? [coded(LOINC.allelicState, { coding: [allelicState] })] : []),
      ...depthComponents(row),
      // The vault holds constitutional (germline) VCFs; a tumour sample would need its own flag.
      coded(LOINC.genomicSourceClass, { coding: [ANSWER.germline] }),
    ],
  };
}
