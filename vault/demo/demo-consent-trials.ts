// What each role may try against the demo's consent directives: per role, requests the vault
// permits and requests it refuses, with the answer each gets, printed as copy-paste shell lines
// (two small shell functions: log in, then ask). The same trials drive the demo's test, so what
// is printed is what happens.
import type { Role } from '../identity/roles.ts';
import type { DemoAccount } from './demo-accounts.ts';
import type { DemoConsents } from './demo-consents.ts';
import { shown, type LoginContext } from './demo-instructions.ts';

export interface Trial {
  method: 'GET' | 'POST';
  /** under /v1 */
  path: string;
  body?: Record<string, unknown>;
  /** the status the vault answers: 200 permitted, 404 refused (patient data is never confirmed to exist) */
  status: 200 | 404;
  /** what the answer shows, in a few words */
  says: string;
}

export interface RoleTrials {
  role: Role;
  /** who this person is in the demo, and what the patients concerned decided */
  who: string;
  trials: Trial[];
}

const get = (path: string, status: Trial['status'], says: string): Trial => ({ method: 'GET', path, status, says });

/** The trials, in the order to try them (insurers ask before the board reads their attempts). */
export function consentTrials(ctx: LoginContext, c: DemoConsents): RoleTrials[] {
  const focus = ctx.focus.focusPatientId;
  const { declinedFindingsPatientId: declined, clinicalUseDeniedPatientId: noClinical, expiredAuthorizationPatientId: expired, declinedGene: gene } = c;
  const idOf = (role: Role) => ctx.accounts.find((a) => a.role === role)!.accountId;
  const shared = `${c.sharedVariants.length} BRCA1 finding${c.sharedVariants.length === 1 ? '' : 's'}`;
  return [
    {
      role: 'clinician',
      who: `treats ${noClinical}, who denied clinical use of their genome, and ${declined}, who declined to learn ACMG secondary findings`,
      trials: [
        get(`/patients/${noClinical}`, 200, 'the record stays readable'),
        get(`/patients/${noClinical}/variants?gene=BRCA1`, 404, 'the patient denied clinical use of their genome'),
        get(`/patients/${declined}/variants?gene=${gene}`, 200, `${gene} rows masked: gene and category only, "patient declined to learn"`),
      ],
    },
    {
      role: 'proxy',
      who: `legal representative of ${declined}, under a proxy directive: record, results, access log, consents; not releases`,
      trials: [
        get(`/patients/${declined}/variants?gene=${gene}`, 200, `no ${gene} row at all: the patient declined to learn them`),
        get(`/patients/${declined}/consents`, 200, 'the directives in force, their own proxy directive among them'),
        get(`/patients/${focus}/variants?gene=BRCA1`, 404, 'not their patient'),
      ],
    },
    {
      role: 'relative',
      who: `sibling of the focus patient ${focus}, who shares their BRCA1 result with them`,
      trials: [
        get(`/patients/${focus}/shared-findings`, 200, `exactly the ${shared} shared, nothing else`),
        get(`/patients/${focus}/variants?gene=BRCA1`, 404, 'never the record or the variants'),
      ],
    },
    {
      role: 'insurer',
      who: `a life insurer: ${focus} signed a HIPAA authorization for underwriting; ${expired}'s has expired`,
      trials: [
        get(`/patients/${focus}/released-findings?releasePurpose=${c.insurerPurpose}`, 200, `the ${shared} the authorization names`),
        get(`/patients/${focus}/released-findings?releasePurpose=claims`, 404, 'the authorization names underwriting, not claims'),
        get(`/patients/${expired}/released-findings?releasePurpose=${c.insurerPurpose}`, 404, 'that authorization expired'),
      ],
    },
    {
      role: 'external_recipient',
      who: `another hospital: ${focus} authorized it to receive ACMG secondary findings for continuing care`,
      trials: [
        get(`/patients/${focus}/released-findings?releasePurpose=${c.recipientPurpose}`, 200, 'the ACMG secondary findings, for continuing care'),
        get(`/patients/${focus}`, 404, 'never the record'),
      ],
    },
    {
      role: 'patient',
      who: `the focus patient ${focus}`,
      trials: [
        get(`/patients/${focus}/consents`, 200, 'their share with the relative and their two authorizations'),
        get(`/patients/${focus}/disclosures`, 200, 'who received their findings (the releases above), marked exempt'),
        get(`/patients/${noClinical}/consents`, 404, 'another patient\u2019s'),
      ],
    },
    {
      role: 'ethics_board',
      who: 'oversees insurers\u2019 requests; never reads a patient\u2019s directives',
      trials: [
        get('/oversight/insurer-attempts', 200, 'every insurer request above, permitted or refused, and why (no directive content)'),
        get(`/patients/${focus}/consents`, 404, 'never a patient\u2019s directives'),
      ],
    },
    {
      role: 'auditor',
      who: 'has the policy explain decisions',
      trials: [
        {
          method: 'POST', path: '/policy/explain', status: 200, says: 'why the clinician was refused those variants: the rule, in plain words',
          body: { subject: { accountId: idOf('clinician') }, patientId: noClinical, resource: 'variants', action: 'read', purpose: 'treatment' },
        },
        get(`/patients/${noClinical}/consents`, 404, 'never a patient\u2019s directives'),
      ],
    },
  ];
}

/** The shell line of one trial, as printed. */
export function trialCommand(trial: Trial): string {
  const body = trial.body ? ` -X POST -H 'content-type: application/json' -d '${JSON.stringify(trial.body)}'` : '';
  return `gv '${trial.path}'${body}`;
}

const outcome = (trial: Trial) => `${trial.status === 200 ? 'permitted' : `refused (${trial.status})`}: ${trial.says}`;

function loginLine(account: DemoAccount): string {
  return `gv_login ${account.username} '${account.password}' ${account.totpSecret}`;
}

/** The printed section: two shell functions, then per role a login and its trials. */
export function consentInstructions(ctx: LoginContext, c: DemoConsents): string[] {
  const cacert = `--cacert ${shown(ctx.caCertificate)}`;
  const lines = [
    'Consents: every role permitted one thing and refused another. Define two shell functions (log in; ask):',
    `  gv_login() { TOKEN=$(curl -s ${cacert} -X POST ${ctx.baseUrl}/v1/sessions -H 'content-type: application/json' -d "{\\"username\\":\\"$1\\",\\"password\\":\\"$2\\",\\"totp\\":\\"$(npx genovault totp "$3")\\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token'); }`,
    `  gv() { local path=$1; shift; curl -s ${cacert} -H "authorization: Bearer $TOKEN" -w '\\n-> HTTP %{http_code}\\n' "$@" "${ctx.baseUrl}/v1$path"; }`,
    'then paste each block (a TOTP code logs in once: if one was just used, wait for the next).',
  ];
  for (const { role, who, trials } of consentTrials(ctx, c)) {
    const account = ctx.accounts.find((a) => a.role === role)!;
    const commands = trials.map(trialCommand);
    const width = Math.min(Math.max(...commands.map((line) => line.length)), 84);
    lines.push('', `As ${account.username} (${who}):`, `  ${loginLine(account)}`);
    trials.forEach((trial, i) => {
      const command = commands[i]!;
      // a long command gets its outcome on the line above, to stay readable
      if (command.length > width) lines.push(`  # ${outcome(trial)}`, `  ${command}`);
      else lines.push(`  ${command.padEnd(width)}   # ${outcome(trial)}`);
    });
  }
  return lines;
}
