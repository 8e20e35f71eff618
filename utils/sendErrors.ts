// Plain words for why a text could not be sent, shown in the composer.
const WORDS: Record<string, string> = {
  opted_out: 'This contact has opted out of texts (they replied STOP). They must reply START before you can text them.',
  not_configured: 'TextTrail is not connected yet. Open the extension options and enter the server URL and your token.',
  token_refused: 'The server refused your token. Check it in the TextTrail options.',
  unauthorized: 'The server refused your token. Check it in the TextTrail options.',
  unreachable: 'Cannot reach the TextTrail server. Check your connection and try again.',
  no_connection: 'Your account has no sending number. Ask an administrator to add one.',
  forbidden: 'You are not allowed to text from this location.',
  idempotency_mismatch: 'This send was already tried with different text. Close the composer and try again.',
};

export function sendErrorWords(code: string, serverMessage?: string | null): string {
  if (WORDS[code]) return WORDS[code];
  if (serverMessage) return `Not sent: ${serverMessage}.`.replace(/\.\.$/, '.');
  return 'Not sent: the server could not take this text. Try again.';
}
