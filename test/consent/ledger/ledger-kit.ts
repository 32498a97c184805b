// A consent ledger on the vault's real sealed log in a temporary directory, and directives to
// record in it.
import { join } from 'node:path';
import { newKey } from '../../../vault/crypto/aead.ts';
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';
import type { ConsentEvent } from '../../../schemas/consent/events.ts';
import { ConsentLedger } from '../../../consent/ledger/consent-ledger.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

export interface LedgerWorld {
  ledger: ConsentLedger;
  log: SealedAppendLog<ConsentEvent>;
  /** closes the log and opens a fresh ledger on it: the state is then derived by replay only */
  reopen(): Promise<ConsentLedger>;
  close(): Promise<void>;
}

export async function openLedgerWorld(): Promise<LedgerWorld> {
  const dir = await makeTempDir('genovault-consent-');
  const path = join(dir.path, 'consent.gvl');
  const options = { key: newKey(), logId: 'consent' };
  const world = {
    log: await SealedAppendLog.open<ConsentEvent>(path, options),
  } as LedgerWorld;
  world.ledger = await ConsentLedger.open(world.log);
  world.reopen = async () => {
    await world.log.close();
    world.log = await SealedAppendLog.open<ConsentEvent>(path, options);
    world.ledger = await ConsentLedger.open(world.log);
    return world.ledger;
  };
  world.close = async () => {
    await world.log.close();
    await dir.remove();
  };
  return world;
}

export const PATIENT = 'p_00000000000000a1';
export const OTHER_PATIENT = 'p_00000000000000b2';
export const PATIENT_ACCOUNT = { accountId: 'acc_00000000000000a1', role: 'patient' } as const;
export const COUNSELOR = { accountId: 'acc_0000000000000c01', role: 'genetic_counselor' } as const;
export const PROXY_ACCOUNT = 'acc_00000000000000f1';
export const RELATIVE_ACCOUNT = 'acc_00000000000000e1';
export const INSURER_ACCOUNT = 'acc_00000000000000d1';
