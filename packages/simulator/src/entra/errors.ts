/**
 * Entra's OAuth 2.0 error responses: `{ error, error_description, error_codes,
 * timestamp, trace_id, correlation_id, error_uri }`, the description starting
 * with the AADSTS code and ending with the trace and correlation ids.
 */
import { randomUUID } from 'node:crypto';

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(`AADSTS${code}: ${message}`);
    this.name = 'EntraError';
  }

  toBody(correlationId: string, now: Date) {
    const traceId = randomUUID();
    const timestamp = now
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d{3}Z$/, 'Z');
    return {
      error: this.error,
      error_description: `${this.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}

export const tenantNotFound = (tenant: string) =>
  new EntraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );

export const noTenantInformation = () =>
  new EntraError(
    400,
    'invalid_request',
    50059,
    'No tenant-identifying information found in either the request or implied by any provided credentials.',
  );

export const missingParameter = (name: string) =>
  new EntraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );

export const unsupportedGrantType = (grantType: string) =>
  new EntraError(
    400,
    'unsupported_grant_type',
    70003,
    `The app requested an unsupported grant type '${grantType}'.`,
  );

export const applicationNotFound = (clientId: string, domain: string) =>
  new EntraError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );

export const missingClientCredential = () =>
  new EntraError(
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );

export const invalidClientSecret = (clientId: string) =>
  new EntraError(
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  );

export const clientAssertionNotSupported = () =>
  new EntraError(
    401,
    'invalid_client',
    700027,
    'Client assertion failed signature validation. (This tenant has client secrets only: no certificate or federated credential is registered.)',
  );

export const invalidScope = (scope: string) =>
  new EntraError(
    400,
    'invalid_scope',
    1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  );

export const resourceNotFound = (resource: string, domain: string) =>
  new EntraError(
    400,
    'invalid_resource',
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${domain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );
