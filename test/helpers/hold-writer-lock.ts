// Stands in for another change committing: holds a vault's writer lock until released, so a test
// can look at the vault while a change waits at its commit (prepared, not yet visible).
import { withWriterLock } from '../../vault/store/vault-lock.ts';

export async function holdWriterLock(dataDir: string): Promise<{ release: () => Promise<void> }> {
  let letGo!: () => void;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const lock = withWriterLock(dataDir, async () => {
    locked();
    await held;
  });
  await holding;
  return {
    release: async () => {
      letGo();
      await lock;
    },
  };
}
