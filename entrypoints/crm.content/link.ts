// The tab's line to the background. A Port stays open: when the service worker stops, the port breaks;
// we reopen it 200 ms later (which wakes a fresh worker) and ask for every badge again, so a restarted
// worker reconnects, catches up and the badges end right.
import { browser } from 'wxt/browser';
import { onMessage, sendMessage, TAB_PORT } from '../../utils/messaging';
import type { BadgeInfo } from '../../utils/badges';

export interface LinkOptions {
  /** False once the extension was reloaded or the page left: stop everything. */
  alive: () => boolean;
  phones: () => string[];
  onBadges: (badges: Record<string, BadgeInfo>) => void;
  /** The worker restarted and the port is open again. */
  onReconnect?: () => void;
  reconnectDelayMs?: number;
}

export class BackgroundLink {
  private port: ReturnType<typeof browser.runtime.connect> | null = null;
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private removeListener: (() => void) | null = null;

  constructor(private readonly opts: LinkOptions) {}

  start(): void {
    this.removeListener = onMessage('badgesChanged', ({ data }) => { if (this.opts.alive()) this.opts.onBadges(data); });
    this.open();
  }

  stop(): void {
    this.removeListener?.();
    if (this.timer) clearTimeout(this.timer);
    try { this.port?.disconnect(); } catch { /* already gone */ }
    this.port = null;
  }

  /** Asks for these phones' badges soon, batched with others that appear in the same moment. */
  request(phones: string[]): void {
    phones.forEach(p => this.pending.add(p));
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), 30);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const phones = [...this.pending];
    this.pending.clear();
    if (!phones.length || !this.opts.alive()) return;
    try {
      this.opts.onBadges(await sendMessage('getBadges', phones));
    } catch {
      // The worker was starting or restarting: ask again shortly.
      if (this.opts.alive()) setTimeout(() => this.request(phones), 500);
    }
  }

  private open(): void {
    if (!this.opts.alive()) return;
    try {
      this.port = browser.runtime.connect({ name: TAB_PORT });
    } catch {
      return; // the extension was reloaded: this content script is orphaned
    }
    this.port.onDisconnect.addListener(() => {
      this.port = null;
      if (!this.opts.alive()) return;
      setTimeout(() => {
        this.open();
        this.request(this.opts.phones());
        this.opts.onReconnect?.();
      }, this.opts.reconnectDelayMs ?? 200);
    });
  }
}
