// Rewrites data/gene-index-<build>.tsv.gz from the source tables beside it:
// `npm run genes:index` after replacing a source table (a test checks the two agree).
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { deriveGeneIndex, GENE_TABLE_BUILDS, indexFile, readGzipText, sourceFile } from './gene-index-file.ts';

for (const build of GENE_TABLE_BUILDS) {
  const index = deriveGeneIndex(readGzipText(sourceFile(build)));
  // mtime 0 in the gzip header: the same index gives the same bytes
  writeFileSync(indexFile(build), gzipSync(Buffer.from(index, 'utf8'), { level: 9 }));
  console.log(`${build}: ${index.split('\n').length - 2} genes`);
}
