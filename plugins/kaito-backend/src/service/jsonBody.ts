import express, { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from './httpErrors';

/**
 * The JSON body parser of a write route: bodies above `limitBytes` are a 413
 * before any of them is parsed (body-parser checks Content-Length first and
 * stops reading at the limit), and a body that is not declared as JSON is a
 * 415 instead of being ignored.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    (req, _res, next) => {
      const hasBody =
        req.headers['transfer-encoding'] !== undefined ||
        Number(req.headers['content-length'] ?? 0) > 0;
      if (hasBody && !req.is(['application/json', 'application/*+json'])) {
        next(
          new UnsupportedMediaTypeError(
            `body: must be JSON (Content-Type: application/json), not ${String(
              req.headers['content-type'] ?? 'untyped',
            ).slice(0, 64)} [body.media-type]`,
          ),
        );
        return;
      }
      next();
    },
    express.json({ limit: limitBytes, strict: true }),
  ];
}
