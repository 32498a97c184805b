// How to log in to the demo as each role, printed for copy and paste. These are demo secrets,
// printed on purpose: the vault is local, its data synthetic or public, and it exists to be tried.
import { relative } from 'node:path';
import { TOTP_STEP_SECONDS } from '../identity/totp.ts';
import type { DemoAccount, DemoFocus } from './demo-accounts.ts';
import { printedQuestions, type DemoProject } from './demo-research.ts';

export interface LoginContext {
  accounts: readonly DemoAccount[];
  focus: DemoFocus;
  /** the CA certificate clients must trust */
  caCertificate: string;
  /** e.g. https://localhost:8443 */
  baseUrl: string;
}

/** A path as the reader should type it: relative to where they stand when that is shorter. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function accountTable(accounts: readonly DemoAccount[]): string[] {
  const lines = [`  ${'role'.padEnd(18)} ${'username'.padEnd(23)} ${'password'.padEnd(32)} TOTP secret`];
  for (const a of accounts) {
    if (a.apiToken) lines.push(`  ${a.role.padEnd(18)} ${a.username.padEnd(23)} API token: ${a.apiToken}`);
    else lines.push(`  ${a.role.padEnd(18)} ${a.username.padEnd(23)} ${(a.password ?? '').padEnd(32)} ${a.totpSecret ?? ''}`);
  }
  return lines;
}

function sessionFor(account: DemoAccount, ctx: LoginContext): string[] {
  const cacert = `--cacert ${shown(ctx.caCertificate)}`;
  const body = `'{"username":"${account.username}","password":"${account.password}","totp":"'$CODE'"}'`;
  return [
    `  CODE=$(npx genovault totp ${account.totpSecret})`,
    `  curl ${cacert} -X POST ${ctx.baseUrl}/v1/sessions -H 'content-type: application/json' -d ${body}`,
    `  TOKEN=...   # the "token" field of that answer; or in one go:`,
    `  TOKEN=$(curl -s ${cacert} -X POST ${ctx.baseUrl}/v1/sessions -H 'content-type: application/json' -d ${body} | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
  ];
}

export function loginInstructions(ctx: LoginContext): string[] {
  const byRole = (role: string) => ctx.accounts.find((a) => a.role === role);
  const clinician = byRole('clinician')!;
  const patient = byRole('patient')!;
  const ehr = byRole('ehr_service');
  const cacert = `--cacert ${shown(ctx.caCertificate)}`;
  const focus = ctx.focus.focusPatientId;
  const lines = [
    'Demo logins (demo-only secrets: this vault is local and its patients are not real):',
    ...accountTable(ctx.accounts),
    '',
    ...ctx.accounts.map((a) => `  ${a.username.padEnd(23)} ${a.note}`),
    '',
    'The demo enrolled every person itself: each account got a one-time enrolment code. The host made the',
    'admin and the privacy officer (whole codes, as on a fresh vault). Every other code came in two halves',
    'from two different people: the admin created each staff account (first half) and the privacy officer',
    'approved it (second half); the registrar issued the patient, proxy and relative codes after identity',
    'proofing and the privacy officer confirmed them. The demo held both halves and redeemed each code in',
    'the person\u2019s place, choosing the passwords above and receiving the TOTP secrets. In real use each',
    'holder hands their half to the person, who redeems both (POST /v1/enrolments or `genovault users enrol`),',
    'and no one else ever sees their password or TOTP secret; neither half alone enrols anyone.',
    '',
    `Each person logs in with password and a TOTP code; the first login confirms the TOTP secret.`,
    `A code is accepted once: wait ${TOTP_STEP_SECONDS} s for the next one before logging in again as the same user.`,
    '',
    `As the clinician, read the focus patient's BRCA1 variants:`,
    ...sessionFor(clinician, ctx),
    `  curl ${cacert} -H "authorization: Bearer $TOKEN" '${ctx.baseUrl}/v1/patients/${focus}/variants?gene=BRCA1'`,
    `  curl ${cacert} -H "authorization: Bearer $TOKEN" -H 'accept: application/fhir+json' '${ctx.baseUrl}/v1/patients/${focus}/variants?significance=pathogenic,likely_pathogenic'`,
    '',
    `As the patient, see who accessed your data:`,
    ...sessionFor(patient, ctx),
    `  curl ${cacert} -H "authorization: Bearer $TOKEN" ${ctx.baseUrl}/v1/patients/${focus}/access-log`,
  ];
  if (ehr?.apiToken) {
    lines.push('', 'As the EHR integration (API token), put the counsellor on another patient\u2019s care team:');
    const counselor = byRole('genetic_counselor')!;
    lines.push(`  curl ${cacert} -X PUT -H "authorization: Bearer ${ehr.apiToken}" ${ctx.baseUrl}/v1/patients/${ctx.focus.untreatedPatientId}/care-team/${counselor.accountId}`);
  }
  const registrar = byRole('registrar');
  if (registrar) {
    lines.push('', 'As the registrar, after checking a document in person, issue the first half of a one-time code for a legal proxy of the focus patient:');
    lines.push(...sessionFor(registrar, ctx));
    lines.push(
      `  curl ${cacert} -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"role":"proxy","evidence":"court order ref. 2025-0042"}' ${ctx.baseUrl}/v1/patients/${focus}/enrolments`,
      `  # then, logged in as the privacy officer (TOKEN from their session), confirm it and get the second half:`,
      `  curl ${cacert} -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"evidence":"court order ref. 2025-0042 seen"}' ${ctx.baseUrl}/v1/enrolments/<enrolmentId>/approve`,
      `  curl ${cacert} -X POST -H 'content-type: application/json' -d '{"username":"new.proxy","code":"<first half>","secondCode":"<second half>","newPassword":"<a passphrase>"}' ${ctx.baseUrl}/v1/enrolments   # the person redeems both`,
    );
  }
  lines.push('', `The API describes itself: curl ${cacert} ${ctx.baseUrl}/v1/openapi.json`);
  return lines;
}

/** How the researcher asks the demo project a count, an aggregate, records and a Beacon question; how the board reads its report. */
export function researchInstructions(ctx: LoginContext, research: DemoProject): string[] {
  const researcher = ctx.accounts.find((a) => a.role === 'researcher')!;
  const board = ctx.accounts.find((a) => a.role === 'ethics_board')!;
  const { project, awaitingReview } = research;
  const cacert = `--cacert ${shown(ctx.caCertificate)}`;
  const auth = '-H "authorization: Bearer $TOKEN"';
  const query = (body: string) => `  curl ${cacert} -X POST ${auth} -H 'content-type: application/json' -d '${body}' ${ctx.baseUrl}/v1/projects/${project.projectId}/cohort-queries`;
  return [
    `Research project ${project.projectId} ("${project.title}", ${project.purpose.join(' ')}), proposed by demo.researcher and`,
    `approved by demo.ethics_board for ${project.level} answers until ${project.end}, with a privacy budget of ${project.budget?.epsilon ?? 0} (epsilon).`,
    `Its cohort is the research cohort's patients whose research consent matches the purpose; ${awaitingReview} more have a consent`,
    'DUO matching sends to review (collaboration required): the board has not included them, so they take no part.',
    'Counts below 20 read "<20"; counts carry seeded noise; each new answer costs epsilon from the budget.',
    '',
    'As the researcher, ask a count, aggregates, records, and the same through Beacon v2:',
    ...sessionFor(researcher, ctx),
    ...printedQuestions().flatMap((q) => {
      if (q.kind === 'beacon') return [`  curl ${cacert} ${auth} '${ctx.baseUrl}/v1/beacon/g_variants?${q.search}&datasetIds=${project.projectId}'`];
      const line = query(JSON.stringify(q.query));
      // the aggregate once more as an Arrow IPC stream (the same answer, free: asked again)
      return q.query.level === 'aggregate' ? [line, `${line} -H 'accept: application/vnd.apache.arrow.stream' -o ${q.query.variant && 'gene' in q.query.variant ? q.query.variant.gene.toLowerCase() : 'aggregate'}.arrows`] : [line];
    }),
    `  curl ${cacert} ${ctx.baseUrl}/v1/beacon/info   # the published mechanism: threshold, noise, epsilon per answer, budget`,
    '',
    'As the ethics board, read the project (with its review groups) and its report (every query, its true cohort size, budget use):',
    ...sessionFor(board, ctx),
    `  curl ${cacert} ${auth} ${ctx.baseUrl}/v1/projects/${project.projectId}`,
    `  curl ${cacert} ${auth} ${ctx.baseUrl}/v1/projects/${project.projectId}/report`,
  ];
}
