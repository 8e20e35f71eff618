import { describe, expect, it, vi } from 'vitest';
import { cloneHost, hostPrototype, pillOf, pillPainter } from '../badgeView';

describe('badge hosts', () => {
  it('a clone carries the prototype\'s box, shadow root and pill in its loading look', () => {
    const proto = hostPrototype(document, pillPainter(document));
    const host = cloneHost(proto);
    expect(host.getAttribute('style')).toBe(proto.getAttribute('style'));
    expect(host.shadowRoot?.mode).toBe('open');
    const pill = pillOf(host)!;
    expect(pill).not.toBe(pillOf(proto));
    expect(pill.getAttribute('role')).toBe('button');
    expect(pill.getAttribute('tabindex')).toBe('0');
    expect(pill.getAttribute('aria-label')).toBe('Text status loading');
    expect(pill.hasAttribute('data-look')).toBe(false);
  });

  it('where a browser does not clone shadow roots (Chrome before 124), the clone gets its own root and pill', () => {
    const proto = hostPrototype(document, pillPainter(document));
    // What such a browser's deep clone gives: the host and its attributes, no shadow root.
    vi.spyOn(proto, 'cloneNode').mockImplementation(() => {
      const bare = document.createElement(proto.localName);
      for (const a of proto.attributes) bare.setAttribute(a.name, a.value);
      return bare;
    });
    for (const host of [cloneHost(proto), cloneHost(proto)]) { // what the first clone taught holds for the next
      expect(host.shadowRoot?.mode).toBe('open');
      const pill = pillOf(host)!;
      expect(pill).not.toBe(pillOf(proto));
      expect(pill.outerHTML).toBe(pillOf(proto)!.outerHTML);
    }
  });
});
