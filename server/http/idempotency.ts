// Idempotency-Key (CONTRACT "Resend"): per user, kept 24 h. A retry of the same request gets the same
// status and body and causes nothing new; the same key with a different request → 422. A retry that
// arrives while the first is still running waits for its outcome. Client errors (4xx) are remembered like
// successes; a server failure is not, so a retry may try again.
import { createHash } from 'node:crypto';
import type { AuthedContext } from './context';
import { HttpError, badRequest } from './errors';
import { sendError } from './respond';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_FIRST_MS = 15_000;

export interface Outcome { status: number; body: unknown }

function send(ctx: AuthedContext, status: number, text: string, replayed: boolean): void {
  ctx.res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text),
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  ctx.res.end(text);
}

async function outcomeOf(run: () => Promise<Outcome>): Promise<{ status: number; text: string }> {
  try {
    const { status, body } = await run();
    return { status, text: JSON.stringify(body) };
  } catch (e) {
    if (e instanceof HttpError && e.status < 500) return { status: e.status, text: JSON.stringify({ error: { code: e.code, message: e.message } }) };
    throw e;
  }
}

export async function idempotent(ctx: AuthedContext, input: unknown, run: () => Promise<Outcome>): Promise<void> {
  const raw = ctx.req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) {
    const { status, text } = await outcomeOf(run);
    return send(ctx, status, text, false);
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest('Idempotency-Key must be 1–255 visible ASCII characters', 'invalid_idempotency_key');
  const store = ctx.deps.store;
  const hash = createHash('sha256').update(`${ctx.req.method} ${ctx.url.pathname}\n${JSON.stringify(input)}`).digest('hex');
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const claim = await store.claimIdempotencyKey(ctx.user.id, key, hash, new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString());
    if (claim.state === 'mismatch') return sendError(ctx.res, 422, 'idempotency_mismatch', 'this Idempotency-Key was used with a different request');
    if (claim.state === 'done') return send(ctx, claim.status, claim.body, true);
    if (claim.state === 'new') break;
    if (Date.now() > deadline) return sendError(ctx.res, 409, 'idempotency_in_progress', 'the first request with this Idempotency-Key is still running');
    await new Promise(r => setTimeout(r, 50));
  }
  let outcome: { status: number; text: string };
  try {
    outcome = await outcomeOf(run);
  } catch (e) {
    await store.releaseIdempotencyKey(ctx.user.id, key).catch(() => {});
    throw e;
  }
  await store.finishIdempotencyKey(ctx.user.id, key, outcome.status, outcome.text);
  send(ctx, outcome.status, outcome.text, false);
}
