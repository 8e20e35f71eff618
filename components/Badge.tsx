import type { KeyboardEvent, Ref } from 'react';
import type { BadgeInfo } from '../utils/badges';
import { STATUS_LOOK, badgeLabel, badgeTitle } from './badgeText';

export interface BadgePillProps {
  info: BadgeInfo | undefined;
  now: number;
  expanded?: boolean;
  onActivate?: () => void;
  pillRef?: Ref<HTMLSpanElement>;
}

/** The status pill: a coloured dot and one word; a button that opens the composer. */
export function BadgePill({ info, now, expanded = false, onActivate, pillRef }: BadgePillProps) {
  const look = info ? STATUS_LOOK[info.status] : null;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      onActivate?.();
    }
  };
  return (
    <span
      ref={pillRef}
      className={`tt-pill ${look ? `tt-${look.tone}` : 'tt-loading'}`}
      role={onActivate ? 'button' : 'img'}
      tabIndex={onActivate ? 0 : undefined}
      aria-label={badgeLabel(info, now)}
      aria-haspopup={onActivate ? 'dialog' : undefined}
      aria-expanded={onActivate ? expanded : undefined}
      title={onActivate ? badgeTitle(info, now) : badgeLabel(info, now)}
      onClick={e => { e.preventDefault(); e.stopPropagation(); onActivate?.(); }}
      onKeyDown={onKeyDown}
    >
      <span className="tt-dot" aria-hidden="true" />
      <span aria-hidden="true">{look ? look.word : '…'}</span>
    </span>
  );
}
