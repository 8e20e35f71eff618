// Loads a committed HTML page into its own happy-dom window, running its inline scripts (our demo pages'
// own code, nothing fetched), so adapters are tested on the DOM a browser would build. Declarative shadow
// roots (<template shadowrootmode="open">, which Chromium attaches while parsing) are attached here too,
// since happy-dom leaves them as templates.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'adapters/__fixtures__');

export interface LoadedPage {
  window: Window;
  document: Document;
  url: URL;
  close(): Promise<void>;
}

function attachDeclarativeShadowRoots(root: ParentNode): void {
  for (const template of [...root.querySelectorAll('template[shadowrootmode]')] as HTMLTemplateElement[]) {
    const host = template.parentElement;
    if (!host || host.shadowRoot) continue;
    const shadow = host.attachShadow({ mode: template.getAttribute('shadowrootmode') === 'closed' ? 'closed' : 'open' });
    shadow.append(template.content);
    template.remove();
    attachDeclarativeShadowRoots(shadow);
  }
}

/** A fixture's own URL and country, from its <meta name="texttrail-fixture-url|country"> tags. */
export function fixtureMeta(html: string): { url: string | null; country: string | null } {
  const meta = (name: string) => html.match(new RegExp(`<meta name="texttrail-fixture-${name}" content="([^"]+)"`))?.[1] ?? null;
  return { url: meta('url'), country: meta('country') };
}

export async function loadPage(file: string, url?: string): Promise<LoadedPage> {
  const html = fs.readFileSync(path.isAbsolute(file) ? file : path.join(ROOT, file), 'utf8');
  const pageUrl = url ?? fixtureMeta(html).url ?? 'http://127.0.0.1:8787/demo/';
  const window = new Window({
    url: pageUrl,
    width: 1440,
    height: 900,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableCSSFileLoading: true,
      disableJavaScriptFileLoading: true,
    },
  });
  window.document.write(html);
  await window.happyDOM.waitUntilComplete();
  const document = window.document as unknown as Document;
  attachDeclarativeShadowRoots(document);
  return { window, document, url: new URL(pageUrl), close: () => window.happyDOM.close() };
}

/** The committed fixtures of one adapter: `<id>-*.html`. */
export function fixturesOf(id: string): string[] {
  return fs.readdirSync(FIXTURES).filter(f => f.startsWith(`${id}-`) && f.endsWith('.html')).sort();
}
