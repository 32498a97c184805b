// What erasing one sample does to the ingest batch (file) it came from. Its own segments leave
// the batch's pack files; each allele table of the batch is rewritten with the rows and genotype
// strings no remaining sample uses blanked, re-sealed under a new batch key, so the erased
// sample's private variants are gone from the current files and the old allele tables can no
// longer be opened. Other samples' segments are copied sealed as they are (never re-encrypted).
import type { CatalogPartition } from './catalog.ts';
import type { Vault } from './vault.ts';
import type { VaultChange } from './vault-change.ts';
import { decodeCalls } from './calls-codec.ts';
import { partitionFormat, pointsIntoAlleles } from './partition-codec.ts';
import { encodeAlleleTable, isRemovedAllele, keepAlleles, type AlleleTable } from './allele-table-codec.ts';

export async function removeFromBatches(vault: Vault, change: VaultChange, sampleId: string): Promise<void> {
  const batches = new Set<string>();
  for (const p of vault.catalog.data.partitions.filter((x) => x.sampleId === sampleId)) {
    const table = p.alleles ? vault.catalog.partition(p.alleles) : undefined;
    if (table) batches.add(table.sampleId);
    const packOwner = packOwnerOf(p.file);
    if (p.offset !== undefined && packOwner) batches.add(packOwner);
  }
  for (const batchId of batches) await rewriteBatch(vault, change, batchId, sampleId);
}

/** Pack files live under packs/<batch id>/. */
function packOwnerOf(file: string): string | null {
  const parts = file.split('/');
  return parts[0] === 'packs' && parts.length === 3 ? (parts[1] ?? null) : null;
}

interface Used {
  rows: Uint8Array;
  genotypes: Uint8Array;
}

async function rewriteBatch(vault: Vault, change: VaultChange, batchId: string, erased: string): Promise<void> {
  const partitions = vault.catalog.data.partitions;
  const tables = partitions.filter((p) => p.kind === 'alleles' && p.sampleId === batchId);
  const tableIds = new Set(tables.map((t) => t.partitionId));
  const packFiles = new Set(partitions.filter((p) => packOwnerOf(p.file) === batchId).map((p) => p.file));
  // every calls partition that still points into this batch, wherever it is stored
  const remainingCalls = partitions.filter((p) => p.kind === 'calls' && p.sampleId !== erased && p.alleles !== undefined && tableIds.has(p.alleles));
  const remainingInPacks = partitions.filter((p) => packFiles.has(p.file) && p.sampleId !== erased && p.sampleId !== batchId);
  if (remainingCalls.length === 0 && remainingInPacks.length === 0) {
    for (const file of new Set([...packFiles, ...tables.map((t) => t.file)])) change.removePack(file);
    change.dropKey(batchId);
    return;
  }
  change.replaceKey(batchId);
  const used = await usedByCalls(vault, remainingCalls);
  const rewritten = async (entry: CatalogPartition): Promise<{ entry: CatalogPartition; plaintext: Uint8Array } | null> => {
    const keep = used.get(entry.partitionId);
    if (!keep) return null;
    const table = keepAlleles(await vault.alleleTable(entry.partitionId), keep.rows, keep.genotypes);
    return { entry: { ...entry, ...keptSpan(table), version: entry.version + 1 }, plaintext: encodeAlleleTable(table) };
  };
  for (const file of packFiles) {
    const segments: { entry: CatalogPartition; plaintext?: Uint8Array; sealed?: Uint8Array }[] = [];
    for (const entry of partitions.filter((p) => p.file === file && p.sampleId !== erased)) {
      if (tableIds.has(entry.partitionId)) {
        const table = await rewritten(entry);
        if (table) segments.push(table);
      } else {
        segments.push({ entry, sealed: await vault.sealedBytes(entry) });
      }
    }
    if (segments.length > 0) await change.rewritePack(file, batchId, segments);
    else change.removePack(file);
  }
  // allele tables stored as files of their own (not written by ingest, but the store allows them)
  for (const entry of tables.filter((t) => !packFiles.has(t.file))) {
    const table = await rewritten(entry);
    if (table) await change.rewritePartition(entry, table.plaintext, table.entry);
    else change.removePack(entry.file);
  }
}

/** For each allele table, which rows and genotype strings the given calls partitions use. */
async function usedByCalls(vault: Vault, calls: readonly CatalogPartition[]): Promise<Map<string, Used>> {
  const used = new Map<string, Used>();
  for (const entry of calls) {
    const bytes = await vault.read(entry);
    if (!pointsIntoAlleles(partitionFormat(bytes)) || !entry.alleles) continue;
    const decoded = decodeCalls(bytes);
    let marks = used.get(entry.alleles);
    if (!marks) {
      const table = await vault.alleleTable(entry.alleles);
      marks = { rows: new Uint8Array(decoded.alleleRows), genotypes: new Uint8Array(table.genotypes.length) };
      used.set(entry.alleles, marks);
    }
    for (const row of decoded.allele) marks.rows[row] = 1;
    for (const gt of decoded.gt) marks.genotypes[gt] = 1;
  }
  return used;
}

/** The position span of the rows left, so the catalog says no more than the table holds. */
function keptSpan(table: AlleleTable): { minPos: number; maxPos: number } {
  let minPos = Infinity;
  let maxPos = -Infinity;
  for (let row = 0; row < table.rows; row++) {
    if (isRemovedAllele(table, row)) continue;
    minPos = Math.min(minPos, table.pos[row]!);
    maxPos = Math.max(maxPos, table.pos[row]!);
  }
  return minPos <= maxPos ? { minPos, maxPos } : { minPos: 0, maxPos: 0 };
}
