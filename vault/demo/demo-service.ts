// The demo's people and research on the service side, once the population is ingested: the focus
// patient, every record and account, the care patients' consent directives, the research cohort's
// consents and the approved project.
import type { VaultService } from '../service/open-service.ts';
import type { ResearchCaller } from '../../research-gateway/ports.ts';
import { SYNTHETIC_PATIENTS, type DemoPopulation } from './demo-population.ts';
import { createDemoPeople, patientIdsOf, type DemoFocus, type DemoPeople } from './demo-accounts.ts';
import { chooseFocus } from './demo-report.ts';
import { recordDemoConsents, type DemoConsents } from './demo-consents.ts';
import { grantDemoResearchConsents, openDemoProject, type DemoProject } from './demo-research.ts';

export interface DemoService {
  people: DemoPeople;
  focus: DemoFocus;
  research: DemoProject;
  consents: DemoConsents;
  /** the demo researcher and board member as the gateway sees a caller */
  callerOf(role: 'researcher' | 'ethics_board' | 'genetic_counselor', requestId?: string): ResearchCaller;
}

export async function populateService(service: VaultService, population: DemoPopulation): Promise<DemoService> {
  const ids = patientIdsOf(service, population.patients);
  const focus = await chooseFocus(service, ids.slice(0, SYNTHETIC_PATIENTS));
  const people = await createDemoPeople(service, population.patients, focus);
  const consents = await recordDemoConsents(service, people.accounts, focus);
  const callerOf: DemoService['callerOf'] = (role, requestId = 'demo-setup') => ({ accountId: people.accounts.find((a) => a.role === role)!.accountId, roles: [role], requestId });
  const cohortIds = ids.filter((_, i) => population.patients[i]!.source === 'research cohort');
  await grantDemoResearchConsents(service, cohortIds, callerOf('genetic_counselor').accountId);
  const research = await openDemoProject(service, callerOf('researcher'), callerOf('ethics_board'), new Date(service.now()).toISOString().slice(0, 10));
  return { people, focus, research, consents, callerOf };
}
