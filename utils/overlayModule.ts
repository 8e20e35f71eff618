// Where the lazily loaded overlay script (entrypoints/overlay.ts) leaves its entry point for the content script.
export const OVERLAY_MODULE_KEY = '__texttrailOverlay';
export const OVERLAY_SCRIPT = '/overlay.js' as const;
