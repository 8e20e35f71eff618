// Sending one text: record it as queued (durable first), hand it to the provider, record the provider's id
// (which also applies any callback that beat the provider's answer), and push every change live.
import { classifyError } from '../../domain/errorClass';
import type { Message } from '../../domain/types';
import type { AppDeps } from '../http/context';
import { ProviderSendError } from '../providers/types';
import type { NewOutbound } from '../store/types';

export function webhookUrl(publicUrl: string, provider: string, connectionId: string): string {
  return `${publicUrl}/webhooks/${provider}/${encodeURIComponent(connectionId)}`;
}

export async function createAndSend(deps: AppDeps, input: NewOutbound): Promise<Message> {
  const created = await deps.store.createOutbound(input);
  deps.publish([created]);
  if (input.scheduledFor) return created.message; // the scheduler sends it when its time comes
  return sendQueued(deps, created.message);
}

export async function sendQueued(deps: AppDeps, message: Message): Promise<Message> {
  const connection = await deps.store.connection(message.connectionId);
  const plugin = connection && deps.providers.get(connection.provider);
  if (!connection || !plugin) {
    const failed = await deps.store.recordSendFailure(message.id, null, 'unknown');
    if (failed) deps.publish([failed]);
    return failed?.message ?? message;
  }
  try {
    const { providerMessageId } = await plugin.send(connection, {
      from: message.from, to: message.to, body: message.body,
      statusCallbackUrl: webhookUrl(deps.config.publicUrl, connection.provider, connection.id),
    }, { publicUrl: deps.config.publicUrl, internalUrl: deps.internalUrl });
    const events = await deps.store.recordProviderId(message.id, providerMessageId);
    deps.publish(events);
    return events.at(-1)?.message ?? message;
  } catch (e) {
    if (!(e instanceof ProviderSendError)) throw e;
    // Unreachable provider: temporary, so the agent may resend; a refusal keeps the provider's own code.
    const errorClass = e.code ? classifyError(connection.provider, e.code) : e.retryable ? 'temporary' : 'unknown';
    const failed = await deps.store.recordSendFailure(message.id, e.code, errorClass);
    if (failed) deps.publish([failed]);
    return failed?.message ?? message;
  }
}
