import { describe, expect, it } from 'vitest';
import { normalizeServerUrl, parseSettings, resolveSettings } from '../connection';

describe('connection settings', () => {
  it('normalises the server URL', () => {
    expect(normalizeServerUrl(' http://127.0.0.1:8787/ ')).toBe('http://127.0.0.1:8787');
    expect(normalizeServerUrl('https://tt.example.com/base//')).toBe('https://tt.example.com/base');
    expect(normalizeServerUrl('ftp://x')).toBeNull();
    expect(normalizeServerUrl('not a url')).toBeNull();
  });

  it('accepts only a complete pair', () => {
    expect(parseSettings({ serverUrl: 'http://a.test', token: ' t ' })).toEqual({ serverUrl: 'http://a.test', token: 't' });
    expect(parseSettings({ serverUrl: 'http://a.test', token: '' })).toBeNull();
    expect(parseSettings({ token: 't' })).toBeNull();
    expect(parseSettings('http://a.test')).toBeNull();
  });

  it('policy wins where it gives a complete pair', () => {
    const local = { serverUrl: 'http://user.test', token: 'mine' };
    expect(resolveSettings(local, { serverUrl: 'https://policy.test', token: 'theirs' })).toEqual({ serverUrl: 'https://policy.test', token: 'theirs', managed: true });
    expect(resolveSettings(local, { serverUrl: 'https://policy.test' })).toEqual({ ...local, managed: false });
    expect(resolveSettings(local, null)).toEqual({ ...local, managed: false });
    expect(resolveSettings(undefined, undefined)).toBeNull();
  });
});
