// The status batcher's group commit: what joins a commit, and that nothing is answered before the store's
// write (and its sync) has finished. (Session 4 tried spacing commits to make batches larger: docs/benchmarks.md.)
import { describe, expect, it } from 'vitest';
import { StatusBatcher } from '../statusBatcher';
import type { StatusUpdate, Store } from '../../store/types';

const update = (id: string): StatusUpdate => ({ connectionId: 'c', providerMessageId: id, status: 'sent', errorCode: null, errorClass: null });
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A store that records each commit's callbacks and finishes it when told to. */
function fakeStore(autoFinish = true) {
  const commits: { ids: string[]; finish(): void }[] = [];
  const store = {
    applyStatuses(updates: StatusUpdate[]) {
      return new Promise(resolve => {
        const finish = () => resolve(updates.map(() => null));
        commits.push({ ids: updates.map(u => u.providerMessageId), finish });
        if (autoFinish) finish();
      });
    },
  } as unknown as Store;
  return { store, commits };
}

describe('StatusBatcher', () => {
  it('answers nothing before the commit has finished, and then every callback of it', async () => {
    const { store, commits } = fakeStore(false);
    const batcher = new StatusBatcher(store);
    let answered = 0;
    const done = ['a', 'b', 'c'].map(id => batcher.apply(update(id)).then(() => { answered++; }));
    await sleep(30);
    expect(commits.map(c => c.ids)).toEqual([['a', 'b', 'c']]);
    expect(answered).toBe(0);
    commits[0].finish();
    await Promise.all(done);
    expect(answered).toBe(3);
  });

  it('keeps at most maxBatch callbacks per commit and commits the rest after it', async () => {
    const { store, commits } = fakeStore();
    const batcher = new StatusBatcher(store, 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(id => batcher.apply(update(id))));
    expect(commits.map(c => c.ids)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('rejects every callback of a failed commit and goes on with the next', async () => {
    let calls = 0;
    const store = { applyStatuses: async (u: StatusUpdate[]) => { if (calls++ === 0) throw new Error('disk'); return u.map(() => null); } } as unknown as Store;
    const batcher = new StatusBatcher(store);
    const first = [batcher.apply(update('a')), batcher.apply(update('b'))];
    await expect(first[0]).rejects.toThrow('disk');
    await expect(first[1]).rejects.toThrow('disk');
    await expect(batcher.apply(update('c'))).resolves.toBeNull();
  });
});
