import type { Message, Thread } from '../../../domain/types';

let seq = 0;
const T0 = Date.parse('2025-03-12T09:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

export function message(over: Partial<Message> = {}): Message {
  seq++;
  return {
    id: `msg_${seq}`, orgId: 'acme', locationId: 'acme-north', threadId: 'thr_maria', connectionId: 'acme-sim-north',
    provider: 'simulator', providerMessageId: `SM${seq}`, direction: 'outbound', from: '+12125550100', to: '+14155550134',
    body: 'Hello', status: 'queued', errorCode: null, errorClass: null, stuck: false, attempt: 1, resendOf: null,
    sentBy: 'ana', scheduledFor: null, createdAt: at(0), updatedAt: at(0),
    ...over,
  };
}

export function thread(over: Partial<Thread> = {}): Thread {
  return {
    id: 'thr_maria', orgId: 'acme', locationId: 'acme-north', contactPhone: '+14155550134', contactName: 'Maria Lopez',
    optedOut: false, lastMessage: null, lastOutbound: null, updatedAt: at(0),
    ...over,
  };
}
