import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultNodeId } from './node-id.js';

describe('defaultNodeId', () => {
  it.each([
    ['web1', 4242, 'web1-4242'],
    ['web1.example.org', 7, 'web1-example-org-7'],
    ['box_2', 1, 'box_2-1'],
    ['..', 9, 'node-9'],
    ['', 9, 'node-9'],
    ['höst*>x', 3, 'h-st-x-3'],
  ])('%s and pid %i -> %s', (host, pid, id) => {
    expect(defaultNodeId(host, pid)).toBe(id);
  });

  it("is this machine's host name and this process's id unless told otherwise", () => {
    expect(defaultNodeId()).toBe(defaultNodeId(hostname(), process.pid));
    expect(defaultNodeId()).toMatch(new RegExp(`-${process.pid}$`));
  });
});
