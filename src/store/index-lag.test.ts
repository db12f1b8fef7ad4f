import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the search index', () => {
  it('never lags further behind the commits than its bound: a commit past it waits for the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-lag-'));
    dirs.push(dir);
    const history = new SqliteHistory(join(dir, 'history.db'), { maxIndexLag: 100 });
    let seq = 0;
    let worst = 0;
    history.joined('ann', 1, 0);
    try {
      // Back to back, with no turn between: the worker's round never comes, only the bound.
      for (let batch = 0; batch < 10; batch++) {
        for (let i = 0; i < 500; i++) history.record({ group: 1, sender: 'ann', senderKey: 'ann', text: `line ${seq} about tea`, ts: 0, seq: ++seq });
        history.commit();
        worst = Math.max(worst, history.indexLag());
      }
      expect(worst).toBeLessThanOrEqual(100);
      expect(history.search('ann', [['tea']], 10).lines).toHaveLength(10);
    } finally {
      await history.close();
    }
  });
});
