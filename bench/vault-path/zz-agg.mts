import { masterKeyFromBase64 } from '../../vault/crypto/master-key.ts';
import { Vault } from '../../vault/store/vault.ts';
import { openQueries } from '../../vault/store/patient-queries.ts';
const [dir] = process.argv.slice(2);
const vault = await Vault.open(dir!, masterKeyFromBase64(process.env.GENOVAULT_MASTER_KEY ?? '', 'env'), { write: false });
const q = await openQueries(vault, { cacheBudgetMb: 1024 });
const ids = vault.catalog.data.samples.map((s) => s.sampleId).filter((_, i) => i % 10 !== 0);
const port = q.cohortIndex!;
const req = { build: 'GRCh38' as const, target: { gene: 'BRCA1' }, sampleIds: ids };
const time = async (f: () => Promise<unknown>) => { await f(); await f(); const c0 = process.cpuUsage(); for (let i = 0; i < 15; i++) await f(); const c = process.cpuUsage(c0); return ((c.user + c.system) / 1000 / 15).toFixed(2); };
console.log(JSON.stringify({
  aggregate: await time(() => port.aggregate(req)),
  aggregateNC: await time(() => port.aggregate({ ...req, notCovering: true })),
  count: await time(() => port.count(req)),
  carriers: await time(() => port.carriers(req)),
}));
await q.close(); await vault.close();
