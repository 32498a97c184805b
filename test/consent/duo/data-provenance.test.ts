// The vocabularies in consent/duo/data are the upstream bytes their MANIFEST names, and the
// matcher's term table and recorded versions agree with them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DUO_MODIFIER, DUO_PERMISSION } from '../../../schemas/duo.ts';
import { DUO_TERMS, UNUSABLE_DUO_IDS } from '../../../consent/duo/duo-terms.ts';
import { DUO_VERSIONS } from '../../../consent/duo/versions.ts';

const DATA = new URL('../../../consent/duo/data/', import.meta.url);
const upstreamBytes = (file: string) => {
  const raw = readFileSync(new URL(file, DATA));
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
};

function tsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n').filter((l) => !l.startsWith('#'));
  const names = header!.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [names[i], v])) as Record<string, string>);
}

const manifest = tsv(readFileSync(new URL('MANIFEST.tsv', DATA), 'utf8'));
const duoRows = new Map(tsv(upstreamBytes('duo-terms.tsv').toString('utf8')).map((r) => [r.id!, r]));

function duoAncestors(id: string): Set<string> {
  const found = new Set<string>();
  for (const parent of (duoRows.get(id)?.parent_ids ?? '').split('|').filter(Boolean)) {
    found.add(parent);
    for (const a of duoAncestors(parent)) found.add(a);
  }
  return found;
}

describe('DUO data provenance', () => {
  it('every data file is the upstream bytes, by SHA-256 and size', () => {
    assert.deepEqual(manifest.map((r) => r.file).sort(), ['HumanDO.tsv.gz', 'duo-terms.tsv', 'mondo_exactmatch_doid.sssom.tsv.gz']);
    for (const row of manifest) {
      const bytes = upstreamBytes(row.file!);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256_of_upstream_bytes, row.file);
      assert.equal(bytes.length, Number(row.bytes), row.file);
    }
  });

  it("the term table has DUO's ids, shorthands and labels, and each term sits where DUO puts it", () => {
    const rootOf = { permission: 'DUO:0000001', modifier: 'DUO:0000017', purpose: 'OBI:0000066' };
    for (const term of DUO_TERMS) {
      const row = duoRows.get(term.id);
      assert.ok(row, term.id);
      assert.equal(row.obsolete, 'false', term.id);
      assert.equal(row.shorthand, term.shorthand ?? '', term.id);
      assert.equal(row.label, term.label, term.id);
      assert.ok(duoAncestors(term.id).has(rootOf[term.kind]), `${term.id} is a ${term.kind}`);
    }
    // the hierarchy the rules rely on
    assert.ok(duoAncestors(DUO_PERMISSION.DS).has(DUO_PERMISSION.HMB));
    assert.ok(duoAncestors(DUO_PERMISSION.HMB).has(DUO_PERMISSION.GRU));
    assert.ok(!duoAncestors(DUO_PERMISSION.POA).has(DUO_PERMISSION.GRU));
    assert.ok(duoAncestors(DUO_MODIFIER.NPU).has(DUO_MODIFIER.NPUNCU) && duoAncestors(DUO_MODIFIER.NCU).has(DUO_MODIFIER.NPUNCU));
  });

  it('every DUO class is either a term the matcher knows or refused with a reason', () => {
    const known = new Set(DUO_TERMS.map((t) => t.id));
    for (const id of duoRows.keys()) assert.ok(known.has(id) !== (id in UNUSABLE_DUO_IDS), id);
    for (const [shorthand, id] of Object.entries({ ...DUO_PERMISSION, ...DUO_MODIFIER })) assert.equal(duoRows.get(id)?.shorthand, shorthand, id);
  });

  it('the versions recorded with every decision are those of the files', () => {
    const source = (file: string) => manifest.find((r) => r.file === file)!.source!;
    const commit = (file: string) => /@([0-9a-f]{40})/.exec(source(file))![1]!.slice(0, 8);
    assert.ok(DUO_VERSIONS.duo.includes(commit('duo-terms.tsv')) && source('duo-terms.tsv').includes('release 2021-02-23') && DUO_VERSIONS.duo.includes('2021-02-23'));
    assert.ok(DUO_VERSIONS.diseaseOntology.includes(commit('HumanDO.tsv.gz')));
    assert.ok(DUO_VERSIONS.mondoMapping.includes(commit('mondo_exactmatch_doid.sssom.tsv.gz')));
    const sssom = upstreamBytes('mondo_exactmatch_doid.sssom.tsv.gz').toString('utf8');
    const release = /^# mapping_set_version: .*\/releases\/(\d{4}-\d{2}-\d{2})\//m.exec(sssom)![1]!;
    assert.ok(DUO_VERSIONS.mondoMapping.includes(release), release);
  });
});
