// A proposal's purpose in the form the DUO matcher reads: its DUO terms, its diseases and the
// project attributes the modifiers are checked against (for-profit, commercial, sensitive aspects,
// IRB reference, country, publication date, the project's own id).
import { DiseaseIdSchema, ResearchPurposeSchema, type ResearchPurpose } from '../../schemas/duo.ts';
import type { ProjectProposal } from '../../schemas/research.ts';
import { ResearchError } from '../research-error.ts';

const isDisease = (term: string) => DiseaseIdSchema.safeParse(term).success;

export function purposeOf(projectId: string, proposal: ProjectProposal): ResearchPurpose {
  const parsed = ResearchPurposeSchema.safeParse({
    terms: proposal.purpose.filter((t) => !isDisease(t)),
    diseases: proposal.purpose.filter(isDisease),
    forProfit: proposal.forProfit,
    commercial: proposal.commercial,
    sensitive: proposal.sensitive,
    commitments: proposal.commitments,
    ...(proposal.irb !== undefined && { irbReference: proposal.irb }),
    country: proposal.country,
    ...(proposal.publishAfter !== undefined && { publishAfter: proposal.publishAfter }),
    projectId,
  });
  if (!parsed.success) throw new ResearchError('invalid_request', `purpose: ${parsed.error.issues[0]?.message ?? 'not a research purpose'}`, { field: 'purpose' });
  return parsed.data;
}

/** Refuses a purpose naming a disease the vault's disease ontology cannot place. */
export function checkPurposeDiseases(proposal: ProjectProposal, knowsDisease: (id: string) => boolean): void {
  if (proposal.purpose.filter(isDisease).some((id) => !knowsDisease(id))) {
    throw new ResearchError('invalid_request', 'purpose: names a disease id the Human Disease Ontology (with its MONDO matches) does not hold', { field: 'purpose' });
  }
}
