// Child process for the shared-writer test: opens the log as one of several writer processes and
// appends COUNT entries from CONCURRENCY concurrent callers, then prints "done <length>".
import { SealedAppendLog } from '../../../vault/log/sealed-append-log.ts';

const [path, keyHex, logId, writerName, countArg, concurrencyArg] = process.argv.slice(2);
if (!path || !keyHex || !logId || !writerName) throw new Error('usage: shared-appender.ts PATH KEY_HEX LOG_ID NAME [COUNT] [CONCURRENCY]');
const writer: string = writerName;
const count = Number(countArg ?? 100);
const log = await SealedAppendLog.open<{ writer: string; n: number }>(path, { key: Buffer.from(keyHex, 'hex'), logId, sharedWriters: true });
let next = 0;
async function caller(): Promise<void> {
  while (next < count) await log.append({ writer, n: next++ });
}
await Promise.all(Array.from({ length: Number(concurrencyArg ?? 4) }, caller));
process.stdout.write(`done ${log.length}\n`);
await log.close();
