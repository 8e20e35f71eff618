// Plain words for why a text could not be sent, shown in the composer.
import { RESEND_REFUSAL_TEXT } from '../domain/resend';

const WORDS: Record<string, string> = {
  opted_out: 'This contact has opted out of texts (they replied STOP). They must reply START before you can text them.',
  not_configured: 'TextTrail is not connected yet. Open the extension options and enter the server URL and your token.',
  token_refused: 'The server refused your token. Check it in the TextTrail options.',
  unauthorized: 'The server refused your token. Check it in the TextTrail options.',
  unreachable: 'Cannot reach the TextTrail server. Check your connection and try again.',
  no_connection: 'Your account has no sending number. Ask an administrator to add one.',
  forbidden: 'You are not allowed to text from this location.',
  idempotency_mismatch: 'This send was already tried with different text. Close the composer and try again.',
  invalid_phone: 'This is not a valid phone number: nothing was sent.',
  missing_template_field: 'A merge field of the template has no value: fill it in and send again.',
  expired: 'It waited too long to be sent safely. Check the conversation and send it again.',
};

export function sendErrorWords(code: string, serverMessage?: string | null): string {
  if (WORDS[code]) return WORDS[code];
  if (code in RESEND_REFUSAL_TEXT) {
    const text = RESEND_REFUSAL_TEXT[code as keyof typeof RESEND_REFUSAL_TEXT];
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
  if (serverMessage) return `Not sent: ${serverMessage}.`.replace(/\.\.$/, '.');
  return 'Not sent: the server could not take this text. Try again.';
}
