// casbin prints each request's values (patient ids among them) when its logger is on. Prove
// that authorize() prints nothing, even if someone switches casbin's logger on.
import assert from 'node:assert/strict';
import { DefaultLogger, getLogger, newEnforcer, setLogger } from 'casbin';
import { DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH, createAuthorizer } from '../../../consent/policy/authorize.ts';
import { silenceCasbinLogger } from '../../../consent/policy/enforcer.ts';
import { InMemoryRelationships } from './helpers/relationships.ts';

const PATIENT = 'patient-4f1c-unique-marker';

/** Runs `action` while every write to stdout, stderr and the console is captured. */
async function captureOutput(action: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const grab = (chunk: unknown): boolean => {
    chunks.push(String(chunk));
    return true;
  };
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
    log: console.log,
    warn: console.warn,
    error: console.error,
    info: console.info,
    debug: console.debug,
  };
  process.stdout.write = grab;
  process.stderr.write = grab;
  for (const name of ['log', 'warn', 'error', 'info', 'debug'] as const) console[name] = (...args: unknown[]) => void grab(args.join(' '));
  try {
    await action();
  } finally {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
    Object.assign(console, { log: originals.log, warn: originals.warn, error: originals.error, info: originals.info, debug: originals.debug });
  }
  return chunks.join('');
}

describe("casbin's logger stays off", () => {
  after(() => silenceCasbinLogger());

  it('the capture works: a plain casbin enforcer with its logger on prints the patient id', async () => {
    setLogger(new DefaultLogger());
    const raw = await newEnforcer(DEFAULT_MODEL_PATH, DEFAULT_POLICY_PATH);
    await raw.addFunction('hasRole', () => false);
    await raw.addFunction('fieldMatches', () => false);
    await raw.addFunction('relationHolds', () => false);
    raw.enableLog(true);
    const printed = await captureOutput(async () => {
      await raw.enforce({ roles: [] }, PATIENT, 'variants', 'read', 'treatment');
    });
    assert.ok(printed.includes(PATIENT), 'expected casbin to print the request when its logger is on');
  });

  it('authorize() prints nothing while building, deciding, or after someone turns the logger on', async () => {
    setLogger(new DefaultLogger());
    getLogger().enableLog(true);
    const printed = await captureOutput(async () => {
      const facts = new InMemoryRelationships().addToCareTeam('dr-a', PATIENT);
      const authorizer = await createAuthorizer({ facts, audit: async () => {} });
      getLogger().enableLog(true);
      for (const roles of [['clinician'], ['admin'], ['researcher']]) {
        await authorizer.authorize(
          { subject: { userId: 'dr-a', roles }, patientId: PATIENT, resource: 'variants', action: 'read', purpose: 'treatment' },
          { requestId: 'req-log' },
        );
      }
    });
    assert.equal(printed, '');
  });
});
