// A socket.io client for the fan-out bench that decodes only what it measures. It speaks the wire protocol
// directly over `ws` (engine.io v4 framing: "0" open, "2" ping / "3" pong, "4…" a socket.io packet; socket.io
// v5 packets: "40" connect with the auth object, "44" refused, "42" an event), counts events without
// decoding them, and hands over the raw frame of a timed socket's events. Why: with socket.io-client, 2,000
// sockets decoding 40,000 events a second took half a core of this 2-core machine from the server they
// measure; a real agent's browser is on another machine.
import WebSocket from 'ws';

const EVENT = [0x34, 0x32]; // "42"

export interface RawSocket { close(): void }

/** Connects with `auth: {token}` like socket.io-client; `onEvent(frame)` gets each event frame ("42[…]"). */
export function connectRaw(serverUrl: string, token: string, onEvent: (frame: Buffer) => void): Promise<RawSocket> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      if (data[0] === EVENT[0] && data[1] === EVENT[1]) { onEvent(data); return; }
      const text = data.toString();
      if (text[0] === '0') ws.send(`40${JSON.stringify({ token })}`);
      else if (text === '2') ws.send('3');
      else if (text.startsWith('40')) resolve({ close: () => ws.close() });
      else if (text.startsWith('44')) reject(new Error(`refused: ${text.slice(2)}`));
    });
  });
}

/** The `message:updated` payload's "providerMessageId/status" from an event frame, or null for another event. */
export function messageKey(frame: Buffer): string | null {
  const [name, payload] = JSON.parse(frame.toString('utf8', 2)) as [string, { message?: { providerMessageId: string; status: string } }];
  return name === 'message:updated' && payload.message ? `${payload.message.providerMessageId}/${payload.message.status}` : null;
}
