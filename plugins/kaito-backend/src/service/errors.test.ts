import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { azureErrorParts, toAzureError } from './azureErrors';
import { KubeApiError, toClusterError } from './kubeHttp';

function restError(statusCode: number, code: string, message: string) {
  return Object.assign(new Error(message), { name: 'RestError', statusCode, code });
}

describe('toAzureError', () => {
  it.each([
    [400, 'InsufficientVCPUQuota', InputError],
    [403, 'AuthorizationFailed', NotAllowedError],
    [404, 'NotFound', NotFoundError],
    [409, 'OperationNotAllowed', ConflictError],
    [429, 'Throttled', ServiceUnavailableError],
    [503, 'ServiceUnavailable', ServiceUnavailableError],
  ])('maps %s %s keeping Azure\u2019s code and message', (status, code, type) => {
    const error = toAzureError('sim', restError(status, code, 'the message'));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(`Azure ${code}: the message`);
  });

  it('names the cluster when ARM cannot be reached at all (503, not a 409)', () => {
    const sendError = Object.assign(new Error('socket hang up'), {
      name: 'RestError',
      code: 'REQUEST_SEND_ERROR',
    });
    const error = toAzureError('west', sendError);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain('cluster "west"');
  });

  it('reads the code of a failed long-running operation', () => {
    const failed = new Error(
      'The long-running operation has failed. QuotaExceeded. Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota.',
    );
    expect(azureErrorParts(failed)).toEqual({
      code: 'QuotaExceeded',
      message:
        'Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota.',
    });
    const error = toAzureError('sim', failed);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/^Azure QuotaExceeded: /);
  });

  it('names the cluster when ARM cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const error = toAzureError('west', refused);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain('"west"');
  });
});

describe('toClusterError', () => {
  it.each([
    [422, InputError],
    [403, NotAllowedError],
    [404, NotFoundError],
    [409, ConflictError],
    [503, ServiceUnavailableError],
  ])('maps a Kubernetes %s Status', (status, type) => {
    const error = toClusterError(
      'sim',
      new ApiException(
        status,
        'x',
        JSON.stringify({ kind: 'Status', message: 'admission webhook denied it' }),
        {},
      ),
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain('admission webhook denied it');
  });

  it('names the cluster when it is unreachable', () => {
    const error = toClusterError(
      'east',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe('Cluster "east" is unreachable: connect ECONNREFUSED');
    expect(toClusterError('east', new KubeApiError(404, 'gone'))).toBeInstanceOf(NotFoundError);
  });
});
