// POST /api/messages — send a new text (CONTRACT "REST").
import { canSeeLocation } from '../../auth';
import { composeBody } from '../../messaging/compose';
import { createAndSend } from '../../messaging/dispatch';
import { normalizePhone } from '../../phone';
import { readJson } from '../body';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { Message } from '../../../domain/types';
import type { AuthedContext } from '../context';
import { idempotent } from '../idempotency';
import { authed } from '../router';
import { optionalString, requiredString } from '../validate';

export const sendMessage = authed(async ctx => {
  const input = await readJson(ctx.req);
  await idempotent(ctx, input, async () => ({ status: 201, body: await send(ctx, input) }));
});

async function send({ deps, user, scope }: AuthedContext, input: Record<string, unknown>): Promise<Message> {
  const toRaw = requiredString(input, 'to', 64);
  const connectionId = optionalString(input, 'connectionId', 200);
  const contactName = optionalString(input, 'contactName', 200)?.trim() || null;

  const visible = (await deps.store.connections(user.orgId)).filter(c => canSeeLocation(scope, c.locationId));
  let connection;
  if (connectionId !== undefined) {
    const found = await deps.store.connection(connectionId);
    if (!found || found.orgId !== user.orgId) throw notFound('connection');
    if (!canSeeLocation(scope, found.locationId)) throw forbidden('that connection belongs to a location that is not yours');
    connection = found;
  } else {
    // Without a connectionId: the first connection of the user's own locations.
    connection = visible.find(c => user.locationIds.includes(c.locationId)) ?? visible[0];
    if (!connection) throw badRequest('no connection to send from: pass connectionId', 'no_connection');
  }

  const location = await deps.store.location(connection.locationId);
  const to = normalizePhone(toRaw, location?.country ?? 'US');
  if (!to) throw badRequest(`"${toRaw}" is not a valid phone number`, 'invalid_phone');
  const body = await composeBody(deps.store, user.orgId, input);
  if (body === undefined) throw badRequest('body or templateId is required');
  if (await deps.store.isOptedOut(user.orgId, to, connection.numbers[0])) {
    throw conflict('opted_out', 'the contact has opted out of texts from this number');
  }

  return createAndSend(deps, { connection, to, body, sentBy: user.id, contactName });
}
