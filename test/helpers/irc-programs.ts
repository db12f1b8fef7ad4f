/**
 * Debian's IRC clients driven by the tests: irssi under tmux (typing through `send-keys`, every
 * window logged to its own file) and weechat-headless (commands through its FIFO, every buffer
 * logged). Each is started in a home of its own and stopped by the cleanup it registers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait.js';

/** What a test registers to be run after it, newest first. */
export type Cleanups = (() => void | Promise<void>)[];

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Every log in `logs`, one after another. */
const allLogs = (logs: string): string => (existsSync(logs) ? readdirSync(logs).map((f) => read(join(logs, f))).join('\n') : '');

export interface Irssi {
  type(line: string): void;
  /** What irssi logged for a channel or query window. */
  log(window: string): string;
  /** The windows it logged, by name. */
  windows(): string[];
  /** The screen and every log: for replies irssi shows in whichever window is active. */
  seen(): string;
}

/** irssi as `nick`, connected to the gateway on `port`, its home in `dir`. */
export function irssi(dir: string, port: number, nick: string, cleanups: Cleanups): Irssi {
  const sock = `ics-chat-test-${process.pid}-${Date.now()}-${nick}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const logs = join(dir, 'logs');
  // irssi paces its own commands (about 2 s apart); a test has no flood to fear. Every window is
  // logged to its own file, replies and notices (irssi's `crap` level) included.
  writeFileSync(
    join(dir, 'config'),
    [
      'settings = {',
      '  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "100"; };',
      `  "fe-common/core" = { autolog = "yes"; autolog_level = "all"; autolog_path = "${logs}/$0.log"; };`,
      '};',
      '',
    ].join('\n'),
  );
  tmux('new-session', '-d', '-x', '200', '-y', '50', `irssi --home=${dir} -n ${nick} -c 127.0.0.1 -p ${port}`);
  cleanups.push(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });
  const file = (window: string): string => join(logs, `${window}.log`);
  return {
    type: (line) => {
      tmux('send-keys', '-l', line);
      tmux('send-keys', 'Enter');
    },
    log: (window) => read(file(window)),
    windows: () => (existsSync(logs) ? readdirSync(logs).map((f) => f.replace(/\.log$/, '')).sort() : []),
    seen: () => `${tmux('capture-pane', '-p', '-J')}\n${allLogs(logs)}`,
  };
}

/** A weechat-headless in its own home: commands go in through its FIFO, what it shows is read from its logs. */
export interface Weechat {
  /** Runs `command` in the buffer named `buffer` (`irc.server.ics`, `irc.ics.#group-1`). */
  run(buffer: string, command: string): void;
  /** What WeeChat logged for that buffer so far. */
  log(buffer: string): string;
  /** Every buffer's log: for replies WeeChat shows where its settings say. */
  seen(): string;
  process: ChildProcess;
}

export async function weechat(dir: string, commands: string[], cleanups: Cleanups): Promise<Weechat> {
  // The logger writes each line at once (it flushes every 120 s by default); the test's own
  // lines skip WeeChat's anti-flood delay of 2 s between messages.
  const setup = ['/set logger.file.flush_delay 0', '/set irc.server_default.anti_flood_prio_high 0'];
  const child = spawn('weechat-headless', ['--dir', dir, '--run', [...setup, ...commands].join(';')], { stdio: 'ignore' });
  // WeeChat writes its configuration as it exits: wait for that before its home is removed.
  cleanups.push(async () => {
    const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
    if (gone()) return;
    child.kill();
    await waitFor('WeeChat to exit', gone, 5000).catch(() => child.kill('SIGKILL'));
  });
  const fifo = await waitFor('the WeeChat FIFO (its plugin is in weechat-plugins)', () => readdirSync(dir).find((f) => f.startsWith('weechat_fifo_')), 15_000);
  return {
    process: child,
    run: (buffer, command) => {
      // Non-blocking: a FIFO WeeChat no longer reads fails at once instead of hanging the test.
      const fd = openSync(join(dir, fifo), constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        writeSync(fd, `${buffer} *${command}\n`);
      } finally {
        closeSync(fd);
      }
    },
    log: (buffer) => read(join(dir, 'logs', `${buffer.toLowerCase()}.weechatlog`)),
    seen: () => allLogs(join(dir, 'logs')),
  };
}
