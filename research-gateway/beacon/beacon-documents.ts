// The Beacon v2 documents this gateway answers with: /info (the beacon and its published
// disclosure mechanism), /service-info (the same as a GA4GH service-info), /configuration and
// /entry_types (its one entry type, genomic variants, queried at boolean or count granularity
// under controlled access), /filtering_terms (none: filters are refused), /map (its one endpoint
// set) and the boolean or count response to a g_variants query. They validate against the
// Beacon v2.1.1 framework schemas copied in schemas/ beside this file.
import type { Mechanism } from '../disclosure/settings.ts';

export const BEACON_API_VERSION = 'v2.0.0';
export const BEACON_ID = 'org.genovault.beacon';
const G_VARIANT_SCHEMA = { entityType: 'genomicVariant', schema: 'beacon-g_variant-v2.0.0' };

const META = { beaconId: BEACON_ID, apiVersion: BEACON_API_VERSION, returnedSchemas: [] };
// the release whose framework schemas are copied in schemas/ (its manifest)
const SCHEMAS = 'https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/v2.1.1';

export function beaconInfo(mechanism: Mechanism) {
  return {
    meta: META,
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

const GENOMIC_VARIANT_ENTRY = {
  id: 'genomicVariant',
  name: 'Genomic variants',
  description: 'Alleles in the consented cohort of one of the caller’s approved research projects (each project a dataset), answered whether present or how many carry them, never who.',
  ontologyTermForThisType: { id: 'ENSGLOSSARY:0000092', label: 'Variant' },
  partOfSpecification: 'Beacon v2.0.0',
  defaultSchema: {
    id: G_VARIANT_SCHEMA.schema,
    name: 'Default schema for a genomic variation',
    referenceToSchemaDefinition: `${SCHEMAS}/models/json/beacon-v2-default-model/genomicVariations/defaultSchema.json`,
    schemaVersion: 'v2.0.0',
  },
  nonFilteredQueriesAllowed: true,
};

export function beaconConfiguration() {
  return {
    meta: META,
    response: {
      $schema: `${SCHEMAS}/framework/json/configuration/beaconConfigurationSchema.json`,
      maturityAttributes: { productionStatus: 'PROD' },
      // answers only to signed-in members of an approved project, never more than a count
      securityAttributes: { defaultGranularity: 'boolean', securityLevels: ['CONTROLLED'] },
      entryTypes: { genomicVariant: GENOMIC_VARIANT_ENTRY },
    },
  };
}

export function beaconEntryTypes() {
  return { meta: META, response: { entryTypes: { genomicVariant: GENOMIC_VARIANT_ENTRY } } };
}

/** No filtering terms: a query with filters is refused (the disclosure rules are built for variant queries). */
export function beaconFilteringTerms() {
  return { meta: META, response: { filteringTerms: [] } };
}

/** The beacon as a GA4GH service-info document; `organizationUrl`: the hospital's website (configured), else the beacon's info address. */
export function beaconServiceInfo(mechanism: Mechanism, apiRoot: string, organizationUrl?: string) {
  const { response } = beaconInfo(mechanism);
  return {
    id: BEACON_ID,
    name: response.name,
    type: { group: 'org.ga4gh', artifact: 'beacon', version: BEACON_API_VERSION },
    description: response.description,
    organization: { name: response.organization.name, url: organizationUrl ?? `${apiRoot}/beacon/info` },
    version: BEACON_API_VERSION,
    environment: response.environment,
  };
}

export function beaconMap(apiRoot: string) {
  return {
    meta: META,
    response: {
      $schema: `${SCHEMAS}/framework/json/configuration/beaconMapSchema.json`,
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
