// Rebasing a change that only adds (patients, samples, partitions, keys) onto a state another
// change committed meanwhile: its additions, all under fresh random ids, are applied to the newer
// catalog. Two things can meet: an MRN registered by both (the first registration's id wins, and
// the later change's samples move to it), and a named key created by both (the committed one wins:
// data may already be sealed under it).
import type { CatalogData } from './catalog.ts';

interface State {
  catalog: CatalogData;
  keys: Readonly<Record<string, string>>;
}

export interface Rebased {
  catalog: CatalogData;
  keys: Record<string, string>;
  /** a patient id the change made → the id the MRN already had in the newer state */
  samePatient: Map<string, string>;
}

export function rebaseAdditions(base: State, mine: State, newer: State): Rebased {
  const catalog = structuredClone(newer.catalog);
  const samePatient = new Map<string, string>();
  const basePatients = new Set(base.catalog.patients.map((p) => p.patientId));
  for (const patient of mine.catalog.patients.filter((p) => !basePatients.has(p.patientId))) {
    const known = catalog.patients.find((p) => p.mrn === patient.mrn);
    if (known) samePatient.set(patient.patientId, known.patientId);
    else catalog.patients.push({ ...patient });
  }
  const baseSamples = new Set(base.catalog.samples.map((s) => s.sampleId));
  for (const sample of mine.catalog.samples.filter((s) => !baseSamples.has(s.sampleId))) {
    catalog.samples.push({ ...sample, patientId: samePatient.get(sample.patientId) ?? sample.patientId });
  }
  const basePartitions = new Set(base.catalog.partitions.map((p) => p.partitionId));
  catalog.partitions.push(...mine.catalog.partitions.filter((p) => !basePartitions.has(p.partitionId)).map((p) => ({ ...p })));
  const keys = { ...newer.keys };
  for (const [id, key] of Object.entries(mine.keys)) {
    if (!(id in base.keys) && !(id in keys)) keys[id] = key;
  }
  return { catalog, keys, samePatient };
}
