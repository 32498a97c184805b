// Carrier-status genes: autosomal recessive conditions screened before or during pregnancy.
// A SUBSET (21 genes) of the ACMG tier-3 carrier screening list (113 genes): Gregg AR et al.,
// "Screening for autosomal recessive and X-linked conditions during pregnancy and preconception:
// a practice resource of the ACMG", Genet Med 2021;23(10):1793-1806, doi:10.1038/s41436-021-01203-z.
// The publication's full gene table could not be consulted when this file was written; these are
// genes of that list whose carrier frequency is well documented above 1 in 200 (the tier-3 bar).
// Replace with the full table before relying on the category for anything but these genes.
export const CARRIER_SCREENING_SUBSET: readonly string[] = [
  'ABCC8', 'ACADM', 'ASPA', 'BCKDHB', 'BLM', 'CFTR', 'DHCR7', 'ELP1', 'FANCC', 'G6PC1', 'GALT',
  'GBA1', 'GJB2', 'HBA1', 'HBA2', 'HBB', 'HEXA', 'MCOLN1', 'PAH', 'SMN1', 'SMPD1',
];
