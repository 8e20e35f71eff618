// POST /webhooks/{provider}/{connectionId} — delivery callbacks and inbound texts (CONTRACT "Webhooks").
// Order of checks: the connection exists (404), the signature holds (401/403), the body parses (400); only
// then is anything written, and the 2xx goes out after the write commits.
import { classifyError } from '../../../domain/errorClass';
import { isFailure } from '../../../domain/status';
import { optOutKeyword } from '../../../domain/optOut';
import type { StoredEvent } from '../../store/types';
import { containsNul, decodeUtf8, mediaType, parseForm, readBody } from '../body';
import type { Handler } from '../context';
import { HttpError, badRequest, notFound } from '../errors';

export const webhook: Handler = async ({ req, res, params, url, deps }) => {
  const connection = await deps.connections.get(params.connectionId);
  if (!connection || connection.provider !== params.provider) throw notFound('connection');
  const plugin = deps.providers.get(connection.provider);
  if (!plugin) throw notFound('provider');

  const rawBody = await readBody(req);
  const text = decodeUtf8(rawBody);
  const contentType = mediaType(req);
  // A form body is parsed once, for the signature and for the fields both.
  let pairs: [string, string][] | undefined;
  const request = {
    url: deps.config.publicUrl + url.pathname + url.search,
    headers: req.headers, rawBody, text, contentType,
    form: () => (pairs ??= parseForm(text)),
  };
  const verdict = plugin.verify(request, connection);
  if (!verdict.ok) throw new HttpError(verdict.status, 'invalid_signature', verdict.reason);

  // PostgreSQL text cannot hold NUL: in a text's body it becomes U+FFFD (some gateways send GSM '@' as 0x00);
  // in an id, number or code it is malformed. Checked for every event before anything is written.
  const events = plugin.parse(request).map(e => (e.kind === 'inbound' && e.body.includes('\0') ? { ...e, body: e.body.replaceAll('\0', '\uFFFD') } : e));
  if (containsNul(events)) throw badRequest('the callback contains a NUL character', 'invalid_callback');
  const changed: StoredEvent[] = [];
  for (const event of events) {
    if (event.kind === 'status') {
      const failure = isFailure(event.status);
      const result = await deps.statuses.apply({
        connectionId: connection.id, providerMessageId: event.providerMessageId, eventId: event.eventId ?? null, status: event.status,
        errorCode: failure ? event.errorCode : null,
        errorClass: failure ? classifyError(connection.provider, event.errorCode) : null,
      });
      if (result && result !== 'pending') changed.push(result);
    } else if (event.kind === 'inbound') {
      const stored = await deps.store.recordInbound({ connection, ...event }, optOutKeyword(event.body));
      if (stored) changed.push(stored);
    }
  }
  deps.publish(changed);
  const ack = plugin.acknowledgement;
  if (ack) {
    res.writeHead(200, { 'content-type': ack.contentType, 'content-length': Buffer.byteLength(ack.body) });
    res.end(ack.body);
  } else {
    res.writeHead(204).end();
  }
};
