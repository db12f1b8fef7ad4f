import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('parseArgs', () => {
  it.each<[string[], unknown]>([
    [[], { host: '127.0.0.1', port: 1112 }],
    [['-d', 'example.local'], { host: 'example.local', port: 1112 }],
    [['-d', '10.0.0.5:2000'], { host: '10.0.0.5', port: 2000 }],
    [['-dlocalhost:3'], { host: 'localhost', port: 3 }],
    [['-d', '[::1]:1112'], { host: '::1', port: 1112 }],
    [['-d', '[::1]'], { host: '::1', port: 1112 }],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([[['-d']], [['-x']], [['-d', 'host:0']], [['-d', 'host:99999']], [['-d', '']], [['--help']]])('refuses %j', (argv) => {
    expect(parseArgs(argv)).toHaveProperty('error');
  });
});
