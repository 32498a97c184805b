// The Beacon v2 documents this gateway answers with: /info (the beacon and its published
// disclosure mechanism), /map (its one endpoint set, genomic variants) and the boolean or count
// response to a g_variants query. They validate against the Beacon v2.1.1 framework schemas
// copied in schemas/ beside this file.
import type { Mechanism } from '../disclosure/settings.ts';

export const BEACON_API_VERSION = 'v2.0.0';
export const BEACON_ID = 'org.genovault.beacon';
const G_VARIANT_SCHEMA = { entityType: 'genomicVariant', schema: 'beacon-g_variant-v2.0.0' };

export function beaconInfo(mechanism: Mechanism) {
  return {
    meta: { beaconId: BEACON_ID, apiVersion: BEACON_API_VERSION, returnedSchemas: [] },
    response: {
      id: BEACON_ID,
      name: 'GenoVault research beacon',
      apiVersion: BEACON_API_VERSION,
      environment: 'prod',
      organization: { id: 'org.genovault', name: 'GenoVault' },
      description:
        'Genomic-variation queries over the consented cohort of an approved research project. Each project the caller belongs to is a dataset whose id is the project id. ' +
        `An allele carried by fewer than ${mechanism.threshold} patients answers exactly as an absent one; counts carry Laplace noise fixed per cohort; every answer is charged to the project's privacy budget.`,
      info: { disclosureControl: mechanism },
    },
  };
}

export function beaconMap(apiRoot: string) {
  return {
    meta: { beaconId: BEACON_ID, apiVersion: BEACON_API_VERSION, returnedSchemas: [] },
    response: {
      $schema: 'https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconMapSchema.json',
      endpointSets: { genomicVariant: { entryType: 'genomicVariant', rootUrl: `${apiRoot}/beacon/g_variants` } },
    },
  };
}

export interface BeaconSummary {
  exists: boolean;
  numTotalResults?: number;
  countPrecision?: 'imprecise';
}

export function beaconResponse(input: {
  requestedGranularity: string;
  returnedGranularity: 'boolean' | 'count';
  /** keyed by entry type, as the framework's requestParameters schema wants: { g_variant: {...} } */
  requestParameters: Record<string, Record<string, unknown>>;
  summary: BeaconSummary;
  info: Record<string, unknown>;
}) {
  return {
    meta: {
      beaconId: BEACON_ID,
      apiVersion: BEACON_API_VERSION,
      returnedGranularity: input.returnedGranularity,
      returnedSchemas: [G_VARIANT_SCHEMA],
      receivedRequestSummary: {
        apiVersion: BEACON_API_VERSION,
        requestedSchemas: [G_VARIANT_SCHEMA],
        pagination: { skip: 0, limit: 0 },
        requestedGranularity: input.requestedGranularity,
        requestParameters: input.requestParameters,
      },
    },
    responseSummary: input.summary,
    info: input.info,
  };
}
