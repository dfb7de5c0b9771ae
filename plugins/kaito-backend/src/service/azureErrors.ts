import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { credentialError } from './azureCredential';
import { isNetworkError } from './kubeHttp';

/** `RestError` of the Azure SDK, matched structurally. */
interface AzureRestError extends Error {
  statusCode?: number;
  code?: string;
}

const LRO_FAILED = /^The long-running operation has failed\.\s*([A-Za-z_]+)\.\s*([\s\S]*)$/;

/** The Azure error code and message of an SDK error, including failed LROs. */
export function azureErrorParts(error: unknown): {
  statusCode?: number;
  code?: string;
  message: string;
} {
  const e = error as AzureRestError;
  const message = e instanceof Error ? e.message : String(error);
  const lro = LRO_FAILED.exec(message);
  if (lro) {
    return { code: lro[1], message: lro[2].trim() };
  }
  return {
    ...(typeof e?.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message,
  };
}

/**
 * Maps an Azure SDK failure to a `@backstage/errors` error that keeps
 * Azure's code and message (quota and conflict errors included).
 */
export function toAzureError(cluster: string, error: unknown): Error {
  const signIn = credentialError(cluster, error);
  if (signIn) return signIn;
  const { statusCode, code, message } = azureErrorParts(error);
  const text = code ? `Azure ${code}: ${message}` : `Azure: ${message}`;
  if (statusCode === undefined) {
    // REQUEST_SEND_ERROR: the SDK could not send the request (connection
    // refused or reset, TLS, DNS), whatever the nested cause says.
    if (isNetworkError(error) || code === 'REQUEST_SEND_ERROR') {
      return new ServiceUnavailableError(
        `Azure Resource Manager is unreachable for cluster "${cluster}": ${message}`,
      );
    }
    if (code) {
      // A long-running operation that failed (e.g. QuotaExceeded).
      return new ConflictError(text);
    }
    return error instanceof Error ? error : new Error(message);
  }
  if (statusCode === 400 || statusCode === 422) return new InputError(text);
  if (statusCode === 401 || statusCode === 403) {
    return new NotAllowedError(
      `Azure refused the KAITO backend's identity for cluster "${cluster}": ${text}`,
    );
  }
  if (statusCode === 404) return new NotFoundError(text);
  if (statusCode === 409 || statusCode === 412) return new ConflictError(text);
  if (statusCode === 429 || statusCode >= 500) {
    return new ServiceUnavailableError(
      `Azure is unavailable for cluster "${cluster}": ${text}`,
    );
  }
  return new Error(text);
}
