// Whatever a webhook body holds, a plug-in either reads it into valid events or refuses it with a 400:
// never another exception (the route would answer 5xx), never a status outside the ladder.
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../domain/errorClass';
import { isStatus } from '../../../domain/status';
import { HttpError } from '../../http/errors';
import { parseBandwidthWebhook } from '../bandwidth';
import { parsePlivoWebhook } from '../plivo';
import { parseSinchWebhook } from '../sinch';
import { parseTelnyxWebhook } from '../telnyx';
import { parseTwilioWebhook } from '../twilio';
import type { WebhookEvent, WebhookRequest } from '../types';
import { parseVonageWebhook } from '../vonage';
import { webhookRequest } from '../../__tests__/helpers/providerWorld';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const form = (p: Record<string, string>) => new URLSearchParams(p).toString();

// One valid body per provider and kind; `$S` marks where a status goes.
const SAMPLES: [string, (req: WebhookRequest) => WebhookEvent[], string, string][] = [
  ['twilio', parseTwilioWebhook, FORM, form({ MessageSid: 'SM1', MessageStatus: '$S', ErrorCode: '30003' })],
  ['telnyx', parseTelnyxWebhook, JSON_TYPE, JSON.stringify({ data: { event_type: 'message.finalized', id: 'e1', payload: { id: 'm1', to: [{ phone_number: '+14155550134', status: '$S' }], errors: [{ code: '40001' }] } } })],
  ['vonage', parseVonageWebhook, JSON_TYPE, JSON.stringify({ message_uuid: 'u1', status: '$S', error: { type: 'x#1050' } })],
  ['vonage', parseVonageWebhook, FORM, form({ messageId: 'm1', msisdn: '14155550134', to: '12125550100', status: '$S', 'err-code': '9' })],
  ['plivo', parsePlivoWebhook, FORM, form({ MessageUUID: 'm1', Status: '$S', ErrorCode: '200' })],
  ['bandwidth', parseBandwidthWebhook, JSON_TYPE, JSON.stringify([{ type: '$S', to: '+14155550134', errorCode: 4720, message: { id: 'm1', from: '+12125550100', to: ['+14155550134'], text: 'x' } }])],
  ['sinch', parseSinchWebhook, JSON_TYPE, JSON.stringify({ type: 'recipient_delivery_report_sms', batch_id: 'b1', code: 402, status: '$S' })],
];

function check(parse: (req: WebhookRequest) => WebhookEvent[], contentType: string, body: string): void {
  let events: WebhookEvent[];
  try {
    events = parse(webhookRequest({ body, contentType }));
  } catch (e) {
    expect(e, body).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(400);
    return;
  }
  for (const e of events) {
    if (e.kind === 'status') expect(isStatus(e.status), body).toBe(true);
    if (e.kind === 'inbound') expect(typeof e.from === 'string' && typeof e.to === 'string' && typeof e.body === 'string').toBe(true);
  }
}

describe('hostile webhook bodies', () => {
  it('Object.prototype names are unknown statuses (400) and unknown codes (class unknown)', () => {
    for (const [provider, parse, type, sample] of SAMPLES) {
      for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
        let error: unknown;
        let events: WebhookEvent[] = [];
        try { events = parse(webhookRequest({ body: sample.replace('$S', name), contentType: type })); } catch (e) { error = e; }
        // Bandwidth reads an unknown event type as "nothing to store"; everyone else refuses the status.
        if (provider === 'bandwidth') expect(events.every(e => e.kind === 'ignored'), name).toBe(true);
        else expect((error as HttpError)?.status, `${provider} ${name}`).toBe(400);
        expect(classifyError(provider, name)).toBe('unknown');
      }
    }
  });

  it('thousands of mutated bodies: valid events or a 400, nothing else', () => {
    let seed = 42;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const junk = ['', '0', '-1', '1e999', 'null', '{}', '[]', '"', '\\u0000', '%00', '%', '&&', '==', '../', '💥', 'x'.repeat(300), '__proto__', 'constructor', 'delivered', 'message-failed', 'Delivered'];
    for (const [, parse, type, sample] of SAMPLES) {
      for (let i = 0; i < 600; i++) {
        let body = sample.replace('$S', junk[rand(junk.length)]);
        const edits = 1 + rand(3);
        for (let k = 0; k < edits; k++) {
          const at = rand(body.length + 1);
          const op = rand(3);
          if (op === 0) body = body.slice(0, at) + body.slice(at + 1 + rand(8));
          else if (op === 1) body = body.slice(0, at) + junk[rand(junk.length)] + body.slice(at);
          else body = body.slice(0, at) + String.fromCharCode(32 + rand(95)) + body.slice(at + 1);
        }
        check(parse, type, body);
        // The same body with the other content type, and with none.
        check(parse, type === FORM ? JSON_TYPE : FORM, body);
        check(parse, '', body);
      }
    }
  });
});
