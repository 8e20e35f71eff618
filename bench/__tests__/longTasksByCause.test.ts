import { describe, expect, it } from 'vitest';
import { longTasksByCause } from '../pageTrace';

describe('longTasksByCause', () => {
  it('blames the extension only for tasks its share made long', () => {
    const { madeLong, inPageLong } = longTasksByCause([
      { durMs: 55, extensionMs: 55 }, // ours alone
      { durMs: 60, extensionMs: 12 }, // 48 ms of the page's own work: long because of our 12 ms
      { durMs: 2_500, extensionMs: 90 }, // the page's parse, long anyway
      { durMs: 51, extensionMs: 1 }, // the page's own, 50 ms exactly without us: made long by us
      { durMs: 80, extensionMs: 0 }, // the page's own, nothing of ours
      { durMs: 40, extensionMs: 40 }, // not long
    ]);
    expect(madeLong).toEqual([{ durMs: 55, extensionMs: 55 }, { durMs: 60, extensionMs: 12 }, { durMs: 51, extensionMs: 1 }]);
    expect(inPageLong).toEqual([{ durMs: 2_500, extensionMs: 90 }]);
  });
});
