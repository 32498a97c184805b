// The Beacon v2 framework schemas copied in research-gateway/beacon/schemas/, checked against
// their manifest's SHA-256 and compiled with Ajv (JSON Schema 2020-12): each file gets an $id from
// its path so that the relative $refs between them resolve.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROOT = fileURLToPath(new URL('../../../research-gateway/beacon/schemas/', import.meta.url));
const BASE = 'https://beacon.schemas.test/';

export type BeaconValidator = (schemaPath: string, document: unknown) => string[];

export function beaconValidator(): BeaconValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const manifest = readFileSync(join(ROOT, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const line of manifest) {
    const [path, , sha256] = line.split('\t') as [string, string, string];
    const bytes = readFileSync(join(ROOT, path));
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error(`${path}: not the bytes the manifest lists`);
    const schema = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: BASE + path });
  }
  return (schemaPath, document) => {
    const validate = ajv.getSchema(BASE + schemaPath);
    if (!validate) throw new Error(`no schema ${schemaPath}`);
    return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
  };
}
