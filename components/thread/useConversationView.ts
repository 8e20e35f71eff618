// The overlay in the CRM page and the side panel's conversation show one contact the same way: this hook
// derives, once for both, what their header, thread view and composer are given.
import { useMemo } from 'react';
import type { ContactFields } from '../../adapters/fields';
import type { Me } from '../../domain/types';
import type { Conversation } from '../../utils/conversation';
import type { SendTextRequest, SendTextResult } from '../../utils/messaging';
import { formatPhone } from '../../utils/phone';
import type { ComposerProps } from './Composer';
import { splitFullName } from '../../domain/contactName';
import type { ThreadServices, ThreadViewProps } from './ThreadView';

export interface ConversationServices extends ThreadServices {
  send(request: SendTextRequest): Promise<SendTextResult>;
}

export interface ConversationViewInput {
  phone: string;
  /** Null or undefined while it loads. */
  conversation: Conversation | null | undefined;
  me: Me | null;
  now: number;
  /** The name known before the conversation has one (the badge's), if any. */
  knownName?: string | null;
  /** Merge fields from the CRM record on screen: they win over the ones taken from the contact's name. */
  record?: ContactFields;
  services: ConversationServices;
  trustedOnly: boolean;
}

export interface ConversationView {
  name: string | null;
  /** The name, or the formatted phone when the contact has none. */
  title: string;
  /** Where the contact is texted from (the newest thread's location). */
  location: Me['locations'][number] | null;
  optedOut: boolean;
  /** Everything ThreadView takes but the loaded conversation itself. */
  threadView: Omit<ThreadViewProps, 'conversation'>;
  composer: ComposerProps;
}

export function useConversationView({ phone, conversation, me, now, knownName = null, record, services, trustedOnly }: ConversationViewInput): ConversationView {
  const name = conversation?.contactName ?? knownName;
  const thread = conversation?.threads[0] ?? null;
  const location = me?.locations.find(l => l.id === thread?.locationId) ?? null;
  const fields = useMemo<Record<string, string | undefined>>(() => ({ ...splitFullName(name), ...record }), [name, record]);
  const templates = me?.templates ?? [];
  const title = name ?? formatPhone(phone);
  const optedOut = conversation?.optedOut ?? false;
  return {
    name, title, location, optedOut,
    threadView: { me, now, templates, record: fields, services, trustedOnly, label: `Texts with ${title}` },
    composer: {
      phone, contactName: name, me, locationId: thread?.locationId ?? null, templates, record: fields,
      optedOut, now, send: services.send, trustedOnly,
    },
  };
}
