/**
 * Decoding and validation of a write, as the API server's handlers and the
 * registry's strategies do them: the type's strategy prunes and defaults,
 * unknown fields are warned about, refused or ignored per the request's
 * `fieldValidation`, then ObjectMeta and the type's own rules are validated.
 */
import type { FieldValidation, KubeObject } from './api';
import { badRequest, invalid } from './errors';
import { validateMetadata } from './metadataValidation';
import type { RegisteredType } from './objectStorage';
import { MetadataDecodeError } from './schemaPruning';

export function decodeWrite(
  registered: RegisteredType,
  obj: KubeObject,
  version: string,
  fieldValidation: FieldValidation | undefined,
): void {
  const { type, strategy } = registered;
  if (!strategy.decode) {
    return;
  }
  const cannotBeHandled = (detail: string) =>
    badRequest(
      `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: ${detail}`,
    );
  let unknown: string[];
  try {
    unknown = strategy.decode(obj, version);
  } catch (error) {
    if (error instanceof MetadataDecodeError) {
      throw cannotBeHandled(error.message);
    }
    throw error;
  }
  if (unknown.length === 0) {
    return;
  }
  const messages = unknown.map(path => `unknown field "${path}"`);
  switch (fieldValidation?.directive ?? 'Warn') {
    case 'Strict':
      throw (
        fieldValidation?.strictError?.(messages) ??
        cannotBeHandled(`strict decoding error: ${messages.join(', ')}`)
      );
    case 'Warn':
      for (const message of messages) {
        fieldValidation?.warn?.(message);
      }
      break;
    default:
  }
}

/**
 * ObjectMeta and the type's own validation; for a status write
 * (`metadata: false`) the type's only, as ObjectMeta cannot change through status.
 */
export function validateWrite(
  registered: RegisteredType,
  obj: KubeObject,
  old: KubeObject | undefined,
  version: string | undefined,
  { metadata }: { metadata: boolean } = { metadata: true },
): void {
  const { type, strategy } = registered;
  const causes = [
    ...(metadata
      ? validateMetadata(obj, strategy.nameValidation ?? 'subdomain', old)
      : []),
    ...(strategy.validate?.(obj, old, version) ?? []),
  ];
  if (causes.length > 0) {
    throw invalid(type.kind, type.group, obj.metadata.name, causes);
  }
}
