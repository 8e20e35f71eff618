// POST /api/messages/{id}/resend (CONTRACT "Resend").
import { isQuietHour, nextQuietEnd, recipientTimeZone } from '../../../domain/quietHours';
import { RESEND_REFUSAL_TEXT, resendRefusal } from '../../../domain/resend';
import { composeBody } from '../../messaging/compose';
import { createAndSend } from '../../messaging/dispatch';
import { phoneCountry } from '../../phone';
import { AlreadyResentError } from '../../store/types';
import { readJson } from '../body';
import { conflict, notFound } from '../errors';
import type { Message } from '../../../domain/types';
import type { AuthedContext } from '../context';
import { idempotent } from '../idempotency';
import { authed } from '../router';
import { optionalBoolean } from '../validate';

export const resend = authed(async ctx => {
  const input = await readJson(ctx.req);
  await idempotent(ctx, input, async () => ({ status: 201, body: await resendOnce(ctx, input) }));
});

async function resendOnce({ params, deps, user, scope }: AuthedContext, input: Record<string, unknown>): Promise<Message> {
  const original = await deps.store.message(scope, params.id);
  if (!original) throw notFound('message');
  const body = (await composeBody(deps.store, user.orgId, input)) ?? original.body;
  const schedule = optionalBoolean(input, 'schedule');
  const connection = await deps.store.connection(original.connectionId);
  const location = await deps.store.location(original.locationId);
  if (!connection || !location) throw notFound('message');

  const zone = recipientTimeZone(await deps.store.contactTimeZone(user.orgId, original.to), phoneCountry(original.to), location.timezone);
  const now = new Date();
  const quietNow = isQuietHour(now, zone);
  const refusal = resendRefusal({
    message: original,
    contactOptedOut: await deps.store.isOptedOut(user.orgId, original.to, original.from),
    hasResend: await deps.store.hasResend(original.id),
    bodyChanged: body.trim() !== original.body.trim(),
    quietNow, schedule,
  });
  if (refusal) throw conflict(refusal, RESEND_REFUSAL_TEXT[refusal]);

  try {
    return await createAndSend(deps, {
      connection, to: original.to, body, sentBy: user.id, attempt: original.attempt + 1, resendOf: original.id,
      scheduledFor: quietNow ? nextQuietEnd(now, zone).toISOString() : null,
    });
  } catch (e) {
    // Another agent's resend of the same message won the race: one new message, the others are refused.
    if (e instanceof AlreadyResentError) throw conflict('already_resent', RESEND_REFUSAL_TEXT.already_resent);
    throw e;
  }
}
