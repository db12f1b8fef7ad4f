import { expect, it } from 'vitest';
import { describeHistoryContract } from './history-contract.js';
import { describeHistoryPageContract } from './history-page-contract.js';
import { MemoryHistory } from './memory-history.js';

describeHistoryContract('MemoryHistory', () => new MemoryHistory(), {
  faulty: () => {
    let failing = false;
    return { store: new MemoryHistory({ commitFault: () => (failing ? new Error('disk full') : null) }), fail: (on) => void (failing = on) };
  },
});

describeHistoryPageContract('MemoryHistory', () => new MemoryHistory());

it('closes even when its last commit fails, and says so', async () => {
  const errors: string[] = [];
  const h = new MemoryHistory({ commitFault: () => new Error('disk full'), onError: (msg) => errors.push(msg) });
  h.opened(1, 'adhoc', '#group-1');
  await h.close();
  expect(errors).toEqual(['last commit: disk full']);
  expect(h.problem()).toBe('the store is closed');
  h.record({ group: 1, sender: 'a', senderKey: 'a', text: 'late', ts: 0, seq: 1 });
  expect(() => h.commit()).toThrow('the store is closed');
});
