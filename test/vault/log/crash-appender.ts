// Child process for the crash tests: appends from several concurrent writers forever and prints
// "<seq> <writer> <n>" for each append once it is acknowledged. The parent kills it with SIGKILL.
// With `shared`, it opens the log as one of several writer processes (lock per append).
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';

const [path, keyHex, logId, writersArg, mode] = process.argv.slice(2);
if (!path || !keyHex || !logId) throw new Error('usage: crash-appender.ts PATH KEY_HEX LOG_ID [WRITERS] [shared]');
const log = await SealedAppendLog.open<{ writer: number; n: number }>(path, { key: Buffer.from(keyHex, 'hex'), logId, sharedWriters: mode === 'shared' });
process.stdout.write(`ready ${log.length} ${log.recovery.tornTailBytes}\n`);

async function writer(id: number): Promise<never> {
  for (let n = 0; ; n++) {
    const entry = await log.append({ writer: id, n });
    process.stdout.write(`${entry.seq} ${id} ${n}\n`);
  }
}

await Promise.all(Array.from({ length: Number(writersArg ?? 8) }, (_, id) => writer(id)));
