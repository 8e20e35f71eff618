// Reconciliation: callbacks get lost, so a message stuck past its threshold is looked up through its
// provider's API and corrected through the same ladder, as an event like any other. Each look-up is
// counted per connection — how often a connection loses callbacks is visible to supervisors.
import { classifyError } from '../../domain/errorClass';
import { isFailure, outranks } from '../../domain/status';
import type { AppDeps } from '../http/context';

export async function reconcileStuck(deps: AppDeps, recheckAfterMs: number, limit = 50): Promise<{ checked: number; corrected: number }> {
  const candidates = await deps.store.reconcileCandidates(new Date(Date.now() - recheckAfterMs).toISOString(), limit);
  let checked = 0;
  let corrected = 0;
  for (const message of candidates) {
    const connection = await deps.connections.get(message.connectionId);
    const plugin = connection && deps.providers.get(connection.provider);
    if (!connection || !plugin?.fetchStatus || !message.providerMessageId) {
      await deps.store.recordReconciliation(message, false); // nothing to ask: do not ask again soon
      continue;
    }
    let found;
    try {
      found = await plugin.fetchStatus(connection, message.providerMessageId, { publicUrl: deps.config.publicUrl, internalUrl: deps.internalUrl });
    } catch (e) {
      console.error(`reconciliation of ${message.id} via ${connection.provider} failed (will retry): ${(e as Error).message}`);
      continue;
    }
    checked++;
    let fixed = false;
    if (found && outranks(found.status, message.status)) {
      const failure = isFailure(found.status);
      const result = await deps.statuses.apply({
        connectionId: connection.id, providerMessageId: message.providerMessageId, status: found.status,
        errorCode: failure ? found.errorCode : null, errorClass: failure ? classifyError(connection.provider, found.errorCode) : null,
      });
      if (result && result !== 'pending') {
        deps.publish([result]);
        fixed = true;
        corrected++;
      }
    }
    await deps.store.recordReconciliation(message, fixed);
  }
  return { checked, corrected };
}
