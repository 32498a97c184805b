// The releases of the vocabularies in data/, recorded with every decision
// (a test ties each to the files' provenance in data/MANIFEST.tsv).
import type { DuoVersions } from '../../schemas/duo.ts';

export const DUO_VERSIONS: Readonly<DuoVersions> = Object.freeze({
  duo: 'DUO release 2021-02-23 (EBISPOT/DUO 81f5c3d9)',
  diseaseOntology: 'Human Disease Ontology 2026-07-31 (HumanDiseaseOntology 4bc5e8a7)',
  mondoMapping: 'Mondo exact matches to DOID, release 2026-08-04 (mondo 2d171de4)',
});
