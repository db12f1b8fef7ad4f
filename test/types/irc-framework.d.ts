/** The part of irc-framework (an untyped CommonJS package) the tests use. */
declare module 'irc-framework' {
  import { EventEmitter } from 'node:events';

  export interface ConnectOptions {
    host: string;
    port: number;
    nick: string;
    username?: string;
    gecos?: string;
    auto_reconnect?: boolean;
    ping_interval?: number;
    /** SASL PLAIN credentials. */
    account?: { account: string; password: string };
    /** Asks for echo-message. */
    enable_echomessage?: boolean;
  }

  export class Client extends EventEmitter {
    constructor(options?: Record<string, unknown>);
    connect(options: ConnectOptions): void;
    join(channel: string, key?: string): void;
    part(channel: string, message?: string): void;
    say(target: string, message: string): void;
    notice(target: string, message: string): void;
    action(target: string, message: string): void;
    raw(...args: string[]): void;
    quit(message?: string): void;
    /** Capabilities to ask for beyond irc-framework's own list. */
    requestCap(caps: string | string[]): void;
    changeNick(nick: string): void;
    whois(nick: string, cb?: (event: Record<string, unknown>) => void): void;
    readonly user: { nick: string };
    readonly network: { cap: { enabled: string[] }; supports(name: string): unknown };
  }

  const IRC: { Client: typeof Client };
  export default IRC;
}
