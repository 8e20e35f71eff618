// Loads a committed HTML page into its own happy-dom window, running its inline scripts (our demo pages'
// own code, nothing fetched), so adapters are tested on the DOM a browser would build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function loadPage(file: string, url = 'http://127.0.0.1:8787/demo/'): Promise<{ window: Window; document: Document; close(): Promise<void> }> {
  const window = new Window({
    url,
    width: 1440,
    height: 900,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableCSSFileLoading: true,
      disableJavaScriptFileLoading: true,
    },
  });
  window.document.write(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  await window.happyDOM.waitUntilComplete();
  return { window, document: window.document as unknown as Document, close: () => window.happyDOM.close() };
}
