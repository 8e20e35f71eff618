import { formatPhone } from '../../utils/phone';
import { initials } from './format';
import type { ConversationView } from './useConversationView';

export interface ContactHeadingProps {
  phone: string;
  view: Pick<ConversationView, 'name' | 'title' | 'location' | 'optedOut'>;
  /** The heading's id, for the surrounding dialog's or section's aria-labelledby. */
  titleId: string;
}

/** The avatar, name, phone and chips at the head of a conversation (overlay and side panel alike). */
export function ContactHeading({ phone, view, titleId }: ContactHeadingProps) {
  return (
    <>
      <span className="tt-avatar" aria-hidden="true">{initials(view.name)}</span>
      <div className="tt-head-text">
        <h2 className="tt-head-title" id={titleId}>{view.title}</h2>
        <div className="tt-head-sub">
          <span>{formatPhone(phone)}</span>
          {view.location && <span className="tt-chip">{view.location.name}</span>}
          {view.optedOut && <span className="tt-chip tt-chip-bad">Opted out</span>}
        </div>
      </div>
    </>
  );
}
