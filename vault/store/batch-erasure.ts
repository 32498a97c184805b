// What erasing one sample does to the ingest batch it came from. Its own segments leave every
// pack file; each allele table of the batch is rewritten with the rows no remaining sample
// carries blanked, and re-sealed under a new batch key, so the erased sample's private
// variants are gone from the current files and the old allele tables can no longer be opened.
// Other samples' segments are copied sealed as they are (never re-encrypted).
import type { CatalogPartition } from './catalog.ts';
import type { Vault } from './vault.ts';
import type { VaultChange } from './vault-change.ts';
import { decodeCalls } from './calls-codec.ts';
import { partitionFormat } from './partition-codec.ts';
import { encodeAlleleTable, keepAlleles } from './allele-table-codec.ts';

export async function removeFromBatches(vault: Vault, change: VaultChange, sampleId: string): Promise<void> {
  const partitions = vault.catalog.data.partitions;
  const own = partitions.filter((p) => p.sampleId === sampleId);
  const batches = new Set<string>();
  for (const p of own) {
    const table = p.alleles ? vault.catalog.partition(p.alleles) : undefined;
    if (table) batches.add(table.sampleId);
    if (p.offset !== undefined) {
      const packOwner = packOwnerOf(p.file);
      if (packOwner) batches.add(packOwner);
    }
  }
  for (const batchId of batches) await rewriteBatch(vault, change, batchId, sampleId);
}

/** Pack files live under packs/<batch id>/. */
function packOwnerOf(file: string): string | null {
  const parts = file.split('/');
  return parts[0] === 'packs' && parts.length === 3 ? (parts[1] ?? null) : null;
}

async function rewriteBatch(vault: Vault, change: VaultChange, batchId: string, erased: string): Promise<void> {
  const partitions = vault.catalog.data.partitions;
  const files = new Set(partitions.filter((p) => packOwnerOf(p.file) === batchId || (p.kind === 'alleles' && p.sampleId === batchId)).map((p) => p.file));
  const remaining = partitions.filter((p) => files.has(p.file) && p.sampleId !== erased && p.sampleId !== batchId);
  if (remaining.length === 0) {
    for (const file of files) change.removePack(file);
    change.dropKey(batchId);
    return;
  }
  change.replaceKey(batchId);
  const keptAlleles = await usedAlleleRows(vault, partitions.filter((p) => p.kind === 'calls' && p.sampleId !== erased && p.alleles !== undefined));
  for (const file of files) {
    const segments: { entry: CatalogPartition; plaintext?: Uint8Array; sealed?: Uint8Array }[] = [];
    for (const entry of partitions.filter((p) => p.file === file && p.sampleId !== erased)) {
      if (entry.kind === 'alleles' && entry.sampleId === batchId) {
        const table = await vault.alleleTable(entry.partitionId);
        const keep = keptAlleles.get(entry.partitionId) ?? new Uint8Array(table.rows);
        segments.push({ entry: { ...entry, version: entry.version + 1 }, plaintext: encodeAlleleTable(keepAlleles(table, keep)) });
      } else {
        segments.push({ entry, sealed: await vault.sealedBytes(entry) });
      }
    }
    if (segments.some((s) => s.entry.sampleId !== batchId)) await change.rewritePack(file, batchId, segments);
    else change.removePack(file);
  }
}

/** For each allele table, which rows the given calls partitions point at. */
async function usedAlleleRows(vault: Vault, calls: readonly CatalogPartition[]): Promise<Map<string, Uint8Array>> {
  const used = new Map<string, Uint8Array>();
  for (const entry of calls) {
    const bytes = await vault.read(entry);
    if (partitionFormat(bytes) !== 3 || !entry.alleles) continue;
    const decoded = decodeCalls(bytes);
    let rows = used.get(entry.alleles);
    if (!rows) {
      rows = new Uint8Array(decoded.alleleRows);
      used.set(entry.alleles, rows);
    }
    for (const row of decoded.allele) rows[row] = 1;
  }
  return used;
}
