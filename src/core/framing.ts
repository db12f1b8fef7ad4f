/**
 * Classic framing: 5 ASCII digits giving the payload length in characters (code points),
 * then the payload. Pure and byte-accurate: the decoder takes chunks split anywhere, even
 * inside a multi-byte character, and counts code points as the classic Python sender did.
 */

export const HEADER_LENGTH = 5;
/** The largest payload a 5-digit header can express. */
export const MAX_PAYLOAD_CHARS = 99_999;

/** Frames an ASCII payload (as produced by `pyDumps`); a longer payload is a caller bug. */
export function encodeFrame(payload: string): Buffer {
  if (payload.length > MAX_PAYLOAD_CHARS) throw new RangeError(`payload of ${payload.length} characters cannot be framed`);
  return Buffer.from(String(payload.length).padStart(HEADER_LENGTH, '0') + payload, 'latin1');
}

export interface FrameError {
  code: 'bad-frame' | 'too-large';
  msg: string;
}

export interface DecodeResult {
  frames: string[];
  /** Set when the stream can no longer be framed; the decoder then stays failed. */
  error: FrameError | null;
}

const EMPTY = Buffer.alloc(0);

/** Length of the UTF-8 sequence a lead byte starts, or 1 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Incremental decoder for one connection's byte stream. */
export class FrameDecoder {
  private buf: Buffer = EMPTY;
  /** Payload length in code points of the frame being read, or -1 while reading a header. */
  private want = -1;
  /** Bytes of the current payload already scanned, and the code points they hold. */
  private scanned = 0;
  private counted = 0;
  private failure: FrameError | null = null;

  constructor(private readonly maxChars: number = MAX_PAYLOAD_CHARS) {}

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Buffer): DecodeResult {
    const frames: string[] = [];
    if (this.failure) return { frames, error: this.failure };
    const buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    for (;;) {
      if (this.want < 0) {
        if (buf.length - pos < HEADER_LENGTH) break;
        let n = 0;
        for (let i = 0; i < HEADER_LENGTH; i++) {
          const digit = buf[pos + i]! - 0x30;
          if (digit < 0 || digit > 9) {
            const seen = JSON.stringify(buf.toString('latin1', pos, pos + HEADER_LENGTH));
            return this.fail(frames, 'bad-frame', `a frame starts with 5 decimal digits, got ${seen}`);
          }
          n = n * 10 + digit;
        }
        if (n > this.maxChars) return this.fail(frames, 'too-large', `frame of ${n} characters exceeds the limit of ${this.maxChars}`);
        pos += HEADER_LENGTH;
        this.want = n;
        this.scanned = 0;
        this.counted = 0;
      }
      const end = this.scanPayload(buf, pos);
      if (end < 0) break;
      frames.push(buf.toString('utf8', pos, end));
      pos = end;
      this.want = -1;
    }
    this.buf = pos === buf.length ? EMPTY : buf.subarray(pos);
    return { frames, error: null };
  }

  /** Advances the scan of the current payload; returns its end offset, or -1 if more bytes are needed. */
  private scanPayload(buf: Buffer, start: number): number {
    let i = start + this.scanned;
    let counted = this.counted;
    const limit = buf.length;
    while (counted < this.want) {
      if (i >= limit) break;
      const lead = buf[i]!;
      let len = sequenceLength(lead);
      if (len > 1) {
        if (i + len > limit) {
          // Wait for the rest of the character unless what we have already shows it is broken.
          if (this.continuationsValid(buf, i + 1, limit)) break;
          len = 1;
        } else if (!this.continuationsValid(buf, i + 1, i + len)) {
          len = 1;
        }
      }
      i += len;
      counted++;
    }
    this.scanned = i - start;
    this.counted = counted;
    return counted === this.want ? i : -1;
  }

  private continuationsValid(buf: Buffer, from: number, to: number): boolean {
    for (let j = from; j < to; j++) if ((buf[j]! & 0xc0) !== 0x80) return false;
    return true;
  }

  private fail(frames: string[], code: FrameError['code'], msg: string): DecodeResult {
    this.failure = { code, msg };
    this.buf = EMPTY;
    return { frames, error: this.failure };
  }
}
