// The HTTP service: the route tables of every part, composed in this one place, served over
// HTTPS with the vault's own certificate (or plain HTTP when explicitly configured).
import type { Logger } from 'pino';
import { createHttpApp, type HttpApp } from '../http/app.ts';
import { startServer, type RunningServer } from '../http/start-server.ts';
import { defineRoute, defineRouteTable, type RouteTable } from '../http/route.ts';
import { z } from 'zod';
import type { VaultService } from './open-service.ts';
import { PatientIdSchema } from '../../schemas/clinical.ts';
import { sessionAuthenticator } from './authenticate.ts';
import { patientRequestAuditor } from './request-audit.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { accountRoutes } from './routes/accounts.ts';
import { accountLifecycleRoutes } from './routes/account-lifecycle.ts';
import { apiTokenRoutes } from './routes/api-tokens.ts';
import { patientRoutes } from './routes/patients.ts';
import { oversightRoutes } from './routes/oversight.ts';
import { relationshipRoutes } from './routes/relationships.ts';
import { enrolmentRoutes } from './routes/enrolments.ts';
import { ingestRoutes } from './routes/ingests.ts';
import { policyRoutes } from './routes/policy.ts';
import { variantRoutes } from './routes/variants.ts';
import { consentRoutes } from './routes/consents.ts';
import { releasedFindingsRoutes } from './routes/released-findings.ts';
import { consentOversightRoutes } from './routes/consent-oversight.ts';
import { researchRoutes } from './routes/research.ts';
import { beaconRoutes } from './routes/beacon.ts';
import { loadOrCreateCa, loadOrIssueServerCertificate } from './tls-material.ts';

function healthRoutes(): RouteTable {
  return defineRouteTable('health', [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness: the service answers',
      tags: ['meta'],
      auth: 'none',
      touchesPatientData: false,
      responses: { 200: { description: 'ok', schema: z.object({ status: z.literal('ok') }) } },
      handler: () => ({ status: 'ok' as const }),
    }),
  ]);
}

export async function buildVaultApp(service: VaultService, logger: Logger, options: { tls: boolean }): Promise<HttpApp> {
  const [fhirIdKey] = await service.vault.namedKeys(['fhir:ids']);
  return createHttpApp({
    logger,
    tls: options.tls,
    authenticate: sessionAuthenticator(service.identity),
    auditPatientRequest: patientRequestAuditor(service.audit),
    isPatientId: (segment) => PatientIdSchema.safeParse(segment).success,
    info: { title: 'GenoVault API', version: '1' },
    routeTables: [
      healthRoutes(),
      sessionRoutes(service, { secureCookie: options.tls }),
      accountRoutes(service),
      accountLifecycleRoutes(service),
      apiTokenRoutes(service),
      patientRoutes(service, { fhirIdKey: fhirIdKey! }),
      variantRoutes(service, { fhirIdKey: fhirIdKey! }),
      consentRoutes(service),
      releasedFindingsRoutes(service),
      consentOversightRoutes(service),
      relationshipRoutes(service),
      enrolmentRoutes(service),
      ingestRoutes(service),
      oversightRoutes(service),
      policyRoutes(service),
      researchRoutes(service),
      beaconRoutes(service),
    ],
  });
}

export async function serveVault(service: VaultService, logger: Logger): Promise<RunningServer> {
  const { config } = service;
  const tls = !config.plainHttp;
  const { app } = await buildVaultApp(service, logger, { tls });
  // a request may take this long to arrive whole: an uploaded VCF of a genome takes minutes
  const requestTimeoutMs = config.requestTimeoutMinutes * 60_000;
  if (!tls) return startServer(app, { host: config.host, port: config.port, logger, plainHttp: true, requestTimeoutMs });
  const ca = await loadOrCreateCa(service.vault);
  const server = await loadOrIssueServerCertificate(service.vault, ca, config.tlsHostnames);
  return startServer(app, { host: config.host, port: config.port, logger, requestTimeoutMs, tls: { key: server.privateKeyPem, cert: server.certificatePem, ca: ca.certificatePem, requestClientCert: true } });
}
