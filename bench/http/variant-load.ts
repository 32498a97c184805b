// Drives GET /v1/patients/:id/variants?gene=... with autocannon for a bounded time, as one
// logged-in clinician: the authorized read path (authenticate, authorize + audit, query) under load.
import autocannon from 'autocannon';

export interface VariantLoadOptions {
  /** base URL without the /v1 prefix */
  url: string;
  token: string;
  patientId: string;
  gene: string;
  durationSeconds: number;
  connections?: number;
  /** a per-request timeout; a request slower than this counts as an error */
  timeoutSeconds?: number;
}

export interface VariantLoadResult {
  requests: number;
  ok2xx: number;
  non2xx: number;
  /** responses by HTTP status code */
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function variantsPath(patientId: string, gene: string): string {
  return `/v1/patients/${patientId}/variants?gene=${encodeURIComponent(gene)}`;
}

export async function runVariantLoad(options: VariantLoadOptions): Promise<VariantLoadResult> {
  const result = await autocannon({
    url: `${options.url}${variantsPath(options.patientId, options.gene)}`,
    method: 'GET',
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    connections: options.connections ?? 10,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? 10,
  });
  return {
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    statusCounts: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stat]) => [status, stat.count ?? 0])),
    errors: result.errors,
    timeouts: result.timeouts,
    // over the whole run, not autocannon's per-second samples, so the last partial second counts too
    requestsPerSecond: result['2xx'] / (result.duration || options.durationSeconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
