// Adult-onset conditions with no established intervention in childhood: the findings that
// professional guidance advises not to seek in minors and that many adults choose not to learn
// (ASHG, "Points to Consider: Ethical, Legal, and Psychosocial Implications of Genetic Testing
// in Children and Adolescents", Botkin JR et al., Am J Hum Genet 2015;97(1):6-21).
// CURATED HERE, not an official list: neither ACMG nor ClinGen publishes one for this purpose.
// Each gene and its condition, as GeneReviews (NCBI Bookshelf) names them:
//   HTT Huntington disease; APP, PSEN1, PSEN2 early-onset familial Alzheimer disease;
//   APOE late-onset Alzheimer disease risk (e4); PRNP genetic prion disease;
//   MAPT, GRN frontotemporal dementia; C9orf72 FTD/ALS; SOD1, TARDBP, FUS amyotrophic lateral sclerosis.
export const ADULT_ONSET_CURATED: readonly string[] = [
  'APOE', 'APP', 'C9ORF72', 'FUS', 'GRN', 'HTT', 'MAPT', 'PRNP', 'PSEN1', 'PSEN2', 'SOD1', 'TARDBP',
];
