// The disease hierarchy DS consents are matched in: the Human Disease Ontology, with MONDO ids
// placed in it through Mondo's exact matches. Read once, on first use (about 50 ms), so commands
// and matches that name no disease never pay for it.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The Disease Ontology's root, which HumanDO.tsv names only as a parent. */
const ROOT = { id: 'DOID:4', label: 'disease' };

export class UnknownDiseaseError extends Error {
  constructor(readonly diseaseId: string, readonly detail: string) {
    super(`${diseaseId} ${detail}`);
    this.name = 'UnknownDiseaseError';
  }
}

export class DiseaseDataError extends Error {
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'DiseaseDataError';
  }
}

export class DiseaseOntology {
  private readonly ancestorMemo = new Map<string, ReadonlySet<string>>();

  private constructor(
    private readonly labels: ReadonlyMap<string, string>,
    private readonly parents: ReadonlyMap<string, readonly string[]>,
    private readonly mondo: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Builds the hierarchy from HumanDO.tsv and the MONDO→DOID SSSOM text. */
  static fromText(humanDo: string, sssom: string): DiseaseOntology {
    const { labels, parents } = parseHumanDo(humanDo);
    return new DiseaseOntology(labels, parents, parseMondoMatches(sssom, labels));
  }

  has(doid: string): boolean {
    return this.labels.has(doid);
  }

  /** Every term's DOID, the root included. */
  doids(): string[] {
    return [...this.labels.keys()];
  }

  /**
   * The Disease Ontology terms a disease id stands for: itself for a DOID, its exact matches for a
   * MONDO id (usually one; a few MONDO ids match several). Throws for an id it cannot place.
   */
  readings(id: string): readonly string[] {
    if (id.startsWith('DOID:')) {
      if (this.labels.has(id)) return [id];
      throw new UnknownDiseaseError(id, 'is not in the Human Disease Ontology this vault carries');
    }
    if (id.startsWith('MONDO:')) {
      const doids = this.mondo.get(id);
      if (doids) return doids;
      throw new UnknownDiseaseError(id, 'has no exact match to a current Human Disease Ontology term in the mapping this vault carries: give its DOID instead');
    }
    throw new UnknownDiseaseError(id, 'is not a DOID or MONDO id');
  }

  label(doid: string): string {
    return this.labels.get(doid) ?? doid;
  }

  /** The term and every term above it, following all parents. */
  ancestorsOrSelf(doid: string): ReadonlySet<string> {
    const known = this.ancestorMemo.get(doid);
    if (known) return known;
    const found = new Set<string>([doid]);
    for (const parent of this.parents.get(doid) ?? []) for (const a of this.ancestorsOrSelf(parent)) found.add(a);
    this.ancestorMemo.set(doid, found);
    return found;
  }

  isSameOrDescendant(doid: string, ancestor: string): boolean {
    return this.ancestorsOrSelf(doid).has(ancestor);
  }

  /** The shortest chain of parents from `doid` up to `ancestor`, both included ([] if none). */
  pathUp(doid: string, ancestor: string): string[] {
    const cameFrom = new Map<string, string | null>([[doid, null]]);
    const queue = [doid];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (next === ancestor) {
        const path: string[] = [];
        for (let at: string | null | undefined = next; at; at = cameFrom.get(at)) path.unshift(at);
        return path;
      }
      for (const parent of this.parents.get(next) ?? []) {
        if (!cameFrom.has(parent)) {
          cameFrom.set(parent, next);
          queue.push(parent);
        }
      }
    }
    return [];
  }
}

function parseHumanDo(text: string): { labels: Map<string, string>; parents: Map<string, string[]> } {
  const lines = text.split('\n');
  if (lines[0] !== 'id\tlabel\tsubClassOf') throw new DiseaseDataError('HumanDO.tsv', 1, 'expected the header id, label, subClassOf');
  const rows: [id: string, parentLabel: string, line: number][] = [];
  const idOfLabel = new Map([[ROOT.label, ROOT.id]]);
  const labels = new Map([[ROOT.id, ROOT.label]]);
  lines.forEach((line, index) => {
    if (index === 0 || line === '') return;
    const fields = line.split('\t');
    if (fields.length !== 3 || !fields.every((f) => f.length >= 2 && f.startsWith('"') && f.endsWith('"'))) {
      throw new DiseaseDataError('HumanDO.tsv', index + 1, 'expected three quoted fields');
    }
    const [id, label, parentLabel] = fields.map((f) => f.slice(1, -1)) as [string, string, string];
    if (!/^DOID:\d+$/.test(id)) throw new DiseaseDataError('HumanDO.tsv', index + 1, 'the id is not a DOID');
    if (idOfLabel.has(label) && idOfLabel.get(label) !== id) throw new DiseaseDataError('HumanDO.tsv', index + 1, 'a label names two terms');
    idOfLabel.set(label, id);
    labels.set(id, label);
    rows.push([id, parentLabel, index + 1]);
  });
  const parents = new Map<string, string[]>();
  for (const [id, parentLabel, line] of rows) {
    const parent = idOfLabel.get(parentLabel);
    if (!parent) throw new DiseaseDataError('HumanDO.tsv', line, 'the parent label names no term');
    const list = parents.get(id);
    if (list) list.push(parent);
    else parents.set(id, [parent]);
  }
  return { labels, parents };
}

/**
 * MONDO id → the current DOIDs it exactly matches. Rows naming a DOID the ontology lacks (obsolete
 * terms) are skipped. When a MONDO id matches several DOIDs and exactly one carries the MONDO
 * label, that one is its reading; otherwise all are kept and the matcher needs them to agree.
 */
function parseMondoMatches(text: string, labels: ReadonlyMap<string, string>): Map<string, string[]> {
  const file = 'mondo_exactmatch_doid.sssom.tsv';
  const lines = text.split('\n');
  const headerAt = lines.findIndex((l) => !l.startsWith('#'));
  const header = (lines[headerAt] ?? '').split('\t');
  const columns = ['subject_id', 'subject_label', 'predicate_id', 'object_id'].map((c) => header.indexOf(c));
  if (columns.some((c) => c < 0)) throw new DiseaseDataError(file, headerAt + 1, 'expected subject_id, subject_label, predicate_id and object_id columns');
  const [subject, subjectLabel, predicate, object] = columns as [number, number, number, number];
  const matches = new Map<string, { label: string; doids: string[] }>();
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const fields = line.split('\t');
    const [mondoId, doid] = [fields[subject] ?? '', fields[object] ?? ''];
    if (!/^MONDO:\d{7}$/.test(mondoId) || !/^DOID:\d+$/.test(doid)) throw new DiseaseDataError(file, i + 1, 'expected a MONDO subject and a DOID object');
    if (fields[predicate] !== 'skos:exactMatch' || !labels.has(doid)) continue;
    const entry = matches.get(mondoId);
    if (entry) entry.doids.push(doid);
    else matches.set(mondoId, { label: (fields[subjectLabel] ?? '').toLowerCase(), doids: [doid] });
  }
  const readings = new Map<string, string[]>();
  for (const [mondoId, { label, doids }] of matches) {
    const sameLabel = doids.filter((d) => labels.get(d)?.toLowerCase() === label);
    readings.set(mondoId, doids.length > 1 && sameLabel.length === 1 ? sameLabel : doids);
  }
  return readings;
}

const DATA = new URL('./data/', import.meta.url);
const readGzipped = (name: string) => gunzipSync(readFileSync(new URL(name, DATA))).toString('utf8');

let shared: DiseaseOntology | undefined;

/** The vault's disease ontology, read from data/ on first call. */
export function diseaseOntology(): DiseaseOntology {
  shared ??= DiseaseOntology.fromText(readGzipped('HumanDO.tsv.gz'), readGzipped('mondo_exactmatch_doid.sssom.tsv.gz'));
  return shared;
}
