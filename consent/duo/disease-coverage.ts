// Whether a DS consent's diseases cover each disease of a purpose: the purpose's disease must be
// a consent disease or lie below one in the Disease Ontology, never above. A MONDO id that stands
// for several Disease Ontology terms is covered only if all of them are (review if only some are).
import type { DuoFinding } from '../../schemas/duo.ts';
import { UnknownDiseaseError, type DiseaseOntology } from './disease-ontology.ts';

interface Reading {
  id: string;
  /** The Disease Ontology terms the id stands for; empty when this ontology cannot place it. */
  doids: readonly string[];
}

const RULE = 'disease';

export class DiseaseCoverage {
  private readonly memo = new Map<string, DuoFinding[]>();
  private purposeReadings: Reading[] | undefined;

  constructor(
    private readonly purposeDiseases: readonly string[],
    private readonly ontology: () => DiseaseOntology,
  ) {}

  /** One finding per purpose disease (the same consent diseases give the same answer, memoised). */
  findings(consentDiseases: readonly string[]): DuoFinding[] {
    const key = consentDiseases.join(' ');
    let found = this.memo.get(key);
    if (!found) {
      const consent = consentDiseases.map((id) => this.read(id));
      this.purposeReadings ??= this.purposeDiseases.map((id) => this.read(id));
      found = this.purposeReadings.map((p) => this.cover(p, consent));
      this.memo.set(key, found);
    }
    return found;
  }

  private read(id: string): Reading {
    try {
      return { id, doids: this.ontology().readings(id) };
    } catch (err) {
      if (err instanceof UnknownDiseaseError) return { id, doids: [] };
      throw err;
    }
  }

  private cover(purpose: Reading, consent: readonly Reading[]): DuoFinding {
    const onto = this.ontology();
    const name = (r: Reading) => nameDisease(r, onto);
    const consentNames = consent.map(name).join(', ');
    if (purpose.doids.length === 0) {
      return { rule: RULE, outcome: 'review', reason: `The purpose names ${purpose.id}, which the disease ontology this vault carries cannot place: a person decides.` };
    }
    const known = consent.filter((c) => c.doids.length > 0);
    // under every reading of the consent disease (surely) / under some reading (possibly)
    const surelyUnder = (doid: string) => known.find((c) => c.doids.every((cd) => onto.isSameOrDescendant(doid, cd)));
    const possiblyUnder = (doid: string) => known.some((c) => c.doids.some((cd) => onto.isSameOrDescendant(doid, cd)));
    const covering = purpose.doids.map(surelyUnder);
    if (covering.every((c) => c !== undefined)) {
      const doid = purpose.doids[0]!;
      const top = covering[0]!.doids.find((cd) => onto.isSameOrDescendant(doid, cd))!;
      const path = onto.pathUp(doid, top);
      const via = path.length > 1 ? `: ${path.map((d) => onto.label(d)).join(' → ')}` : '';
      return { rule: RULE, outcome: 'permit', reason: `${capitalise(name(purpose))} is within the consent's disease ${name(covering[0]!)}${via}.` };
    }
    if (purpose.doids.some(possiblyUnder)) {
      return {
        rule: RULE,
        outcome: 'review',
        reason: `${capitalise(name(purpose))} is within the consent's diseases (${consentNames}) under some of the Disease Ontology terms the MONDO mapping gives, not under all: a person decides.`,
      };
    }
    if (known.length < consent.length) {
      const unknown = consent.filter((c) => c.doids.length === 0).map((c) => c.id).join(', ');
      return { rule: RULE, outcome: 'review', reason: `The consent names ${unknown}, which the disease ontology this vault carries cannot place: a person decides.` };
    }
    const narrower = known.find((c) => c.doids.some((cd) => purpose.doids.some((pd) => onto.isSameOrDescendant(cd, pd))));
    const reason = narrower
      ? `${capitalise(name(purpose))} is broader than the consent's disease ${name(narrower)}: a DS consent covers its disease and narrower ones, never broader.`
      : `${capitalise(name(purpose))} is not within the consent's diseases (${consentNames}).`;
    return { rule: RULE, outcome: 'deny', reason };
  }
}

/** "cancer (DOID:162)", "MONDO:0004992 (cancer, DOID:162)". */
export function nameDisease(reading: Reading, onto: DiseaseOntology): string {
  const terms = reading.doids.map((d) => `${onto.label(d)}, ${d}`);
  if (reading.id.startsWith('DOID:')) return terms.length > 0 ? `${onto.label(reading.id)} (${reading.id})` : reading.id;
  return terms.length > 0 ? `${reading.id} (${terms.join('; ')})` : reading.id;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
