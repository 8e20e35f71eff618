// Errors the API answers with: {error: {code, message}} and the right status. Anything else thrown is a bug
// and answers 500 without details.
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new HttpError(400, code, message);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'a valid bearer token is required');
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
