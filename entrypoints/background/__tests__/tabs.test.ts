import { describe, expect, it, vi } from 'vitest';
import { noneBadge, type BadgeInfo } from '../../../utils/badges';
import { TabRegistry, type TabTarget } from '../tabs';

function setup() {
  const pushed: { target: TabTarget; badges: Record<string, BadgeInfo> }[] = [];
  const lookup = vi.fn(async (phones: string[]) => Object.fromEntries(phones.map(p => [p, { ...noneBadge(p), status: 'sent' as const }])));
  const registry = new TabRegistry(lookup, async (target, badges) => { pushed.push({ target, badges }); });
  return { registry, pushed, lookup };
}

describe('TabRegistry', () => {
  it('pushes each tab only the changed phones it shows, with one lookup', async () => {
    const { registry, pushed, lookup } = setup();
    registry.attach({ tabId: 1, frameId: 0 });
    registry.register({ tabId: 1, frameId: 0 }, ['+14155550134', '+12125550188']);
    registry.register({ tabId: 2, frameId: 0 }, ['+12125550188']);
    await registry.changed(new Set(['+12125550188', '+19999999999']));
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith(['+12125550188']);
    expect(pushed.map(p => [p.target.tabId, Object.keys(p.badges)])).toEqual([[1, ['+12125550188']], [2, ['+12125550188']]]);
  });

  it('forgets a tab when its port disconnects', async () => {
    const { registry, pushed } = setup();
    const detach = registry.attach({ tabId: 3, frameId: 2 });
    registry.register({ tabId: 3, frameId: 2 }, ['+14155550134']);
    detach();
    await registry.changed('all');
    expect(pushed).toHaveLength(0);
    expect(registry.size).toBe(0);
  });

  it('"all" refreshes every phone of every tab; a failing tab does not stop the others', async () => {
    const pushed: number[] = [];
    const registry = new TabRegistry(async phones => Object.fromEntries(phones.map(p => [p, noneBadge(p)])), async target => {
      if (target.tabId === 1) throw new Error('tab closed');
      pushed.push(target.tabId);
    });
    registry.register({ tabId: 1, frameId: 0 }, ['+14155550134']);
    registry.register({ tabId: 2, frameId: 0 }, ['+12125550188']);
    await registry.changed('all');
    expect(pushed).toEqual([2]);
  });
});
