// A schema-free integrity check of a Bundle: every fullUrl is unique and names its resource's
// id, and every `reference` anywhere in any resource resolves to an entry in the same Bundle.
// Used by the tests and cheap enough for a route to assert before it answers.
import type { Bundle } from './fhir-types.ts';

function collectReferences(value: unknown, path: string, found: { path: string; reference: string }[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collectReferences(item, `${path}[${i}]`, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') found.push({ path: `${path}.reference`, reference: child });
      else collectReferences(child, `${path}.${key}`, found);
    }
  }
}

/** Every problem found, as `path: what`; an empty list means the bundle is self-contained. */
export function bundleReferenceProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  const fullUrls = new Set<string>();
  bundle.entry.forEach((entry, i) => {
    if (fullUrls.has(entry.fullUrl)) problems.push(`entry[${i}].fullUrl: ${entry.fullUrl} appears twice`);
    fullUrls.add(entry.fullUrl);
    if (entry.fullUrl !== `urn:uuid:${entry.resource.id}`) problems.push(`entry[${i}].fullUrl: does not name resource id ${entry.resource.id}`);
  });
  const references: { path: string; reference: string }[] = [];
  bundle.entry.forEach((entry, i) => collectReferences(entry.resource, `entry[${i}].resource`, references));
  for (const { path, reference } of references) {
    if (!fullUrls.has(reference)) problems.push(`${path}: ${reference} does not resolve to an entry`);
  }
  return problems;
}
