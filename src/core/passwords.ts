/**
 * Password hashing: scrypt (memory-hard) from node:crypto, run on the libuv thread pool so a
 * login never blocks the event loop. Each hash has its own random salt and carries its cost
 * parameters (`$scrypt$ln=15,r=8,p=1$salt$hash`), so a later change of the default cost still
 * verifies every stored hash. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasswordHasher {
  /** A new hash of `password`, with a fresh salt and the current cost. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches a stored hash (false for a malformed one). */
  verify(password: string, stored: string): Promise<boolean>;
}

export interface ScryptCost {
  /** log2 of N, the CPU and memory cost (memory is 128 * N * r bytes: 32 MiB at 15 and r = 8). */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on stored parameters, so a damaged row cannot ask for gigabytes. */
const MAX_LOG_N = 22;
const MAX_R = 32;
const MAX_P = 16;

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.logN;
  return new Promise((resolve, reject) => {
    // NFC, as names are: the same password typed on any keyboard or system hashes the same.
    scrypt(password.normalize('NFC'), salt, length, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const b64 = (buf: Buffer): string => buf.toString('base64').replace(/=+$/, '');

export class ScryptHasher implements PasswordHasher {
  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.cost, KEY_BYTES);
    const { logN, r, p } = this.cost;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const m = FORMAT.exec(stored);
    if (!m) return false;
    const cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    if (cost.logN < 1 || cost.logN > MAX_LOG_N || cost.r < 1 || cost.r > MAX_R || cost.p < 1 || cost.p > MAX_P) return false;
    const salt = Buffer.from(m[4]!, 'base64');
    const expected = Buffer.from(m[5]!, 'base64');
    if (expected.length < 16) return false;
    const key = await derive(password, salt, cost, expected.length);
    return timingSafeEqual(key, expected);
  }
}
