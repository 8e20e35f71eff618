// The thread overlay, built as its own file and imported by the content script on the first badge click
// (entrypoints/crm.content/thread.ts), so CRM pages that never open a thread do not pay for it. It runs in
// the content script's isolated world; it hands its entry point over on a global of that world only.
import { openOverlay } from '../components/overlay/mount';
import { OVERLAY_MODULE_KEY } from '../utils/overlayModule';

export default defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[OVERLAY_MODULE_KEY] = { openOverlay };
});
