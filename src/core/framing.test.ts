import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type DecodeResult } from './framing.js';

/** A foreign sender's frame: header counts code points, payload sent as raw UTF-8. */
function foreign(text: string): Buffer {
  return Buffer.from(String([...text].length).padStart(5, '0') + text, 'utf8');
}

function decodeChunks(chunks: Buffer[], max?: number): DecodeResult {
  const decoder = new FrameDecoder(max);
  const frames: string[] = [];
  for (const chunk of chunks) {
    const result = decoder.push(chunk);
    frames.push(...result.frames);
    if (result.error) return { frames, error: result.error };
  }
  return { frames, error: null };
}

const payloads = ['{"action": "login", "name": "zz"}', '{"msg":"Zoë 李雷 😀 ok"}', '', '{"a":"\u00e9\u0301"}', 'x'];
const stream = Buffer.concat(payloads.map(foreign));

describe('encodeFrame', () => {
  it('writes the 5-digit zero-padded length then the payload', () => {
    expect(encodeFrame('{"action": "time"}').toString('latin1')).toBe('00018{"action": "time"}');
    expect(encodeFrame('').toString('latin1')).toBe('00000');
  });
  it('refuses a payload the header cannot express', () => {
    expect(() => encodeFrame('x'.repeat(100_000))).toThrow(RangeError);
  });
});

describe('FrameDecoder', () => {
  it('decodes the whole stream in one chunk', () => {
    expect(decodeChunks([stream])).toEqual({ frames: payloads, error: null });
  });

  it('gives the same frames for every split into two chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const result = decodeChunks([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(result, `cut at ${cut}`).toEqual({ frames: payloads, error: null });
    }
  });

  it('gives the same frames byte by byte', () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(decodeChunks(bytes)).toEqual({ frames: payloads, error: null });
  });

  it('gives the same frames for every split into three chunks', () => {
    for (let a = 0; a <= stream.length; a += 3) {
      for (let b = a; b <= stream.length; b += 2) {
        const result = decodeChunks([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]);
        expect(result.frames).toEqual(payloads);
      }
    }
  });

  it('holds a partial frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.from('0000')).frames).toEqual([]);
    expect(decoder.push(Buffer.from('5abc')).frames).toEqual([]);
    expect(decoder.buffered).toBe(3);
    expect(decoder.push(Buffer.from('de00001')).frames).toEqual(['abcde']);
    expect(decoder.push(Buffer.from('z')).frames).toEqual(['z']);
    expect(decoder.buffered).toBe(0);
  });

  it('fails on a header that is not 5 digits and stays failed', () => {
    const decoder = new FrameDecoder();
    const first = decoder.push(Buffer.from('00001a{"act'));
    expect(first.frames).toEqual(['a']);
    expect(first.error).toEqual({ code: 'bad-frame', msg: 'a frame starts with 5 decimal digits, got "{\\"act"' });
    expect(decoder.push(Buffer.from('00001b')).error?.code).toBe('bad-frame');
  });

  it('refuses a frame over its limit before reading it', () => {
    expect(decodeChunks([Buffer.from('00011hello world')], 10).error).toEqual({
      code: 'too-large',
      msg: 'frame of 11 characters exceeds the limit of 10',
    });
  });

  it('counts an invalid byte as one character and keeps framing', () => {
    const bad = Buffer.concat([Buffer.from('00003a'), Buffer.from([0xff]), Buffer.from('b00001c')]);
    expect(decodeChunks([bad]).frames).toEqual(['a\ufffdb', 'c']);
    const cut = Buffer.concat([Buffer.from('00002'), Buffer.from([0xe4, 0x41]), Buffer.from('00001z')]);
    expect(decodeChunks([cut.subarray(0, 6), cut.subarray(6)]).frames).toEqual(['\ufffdA', 'z']);
  });

  it('reads a 99,999-character frame split into many chunks in linear time', () => {
    const big = foreign('é'.repeat(99_999));
    const chunks: Buffer[] = [];
    for (let i = 0; i < big.length; i += 7) chunks.push(big.subarray(i, i + 7));
    const result = decodeChunks(chunks);
    expect(result.frames[0]?.length).toBe(99_999);
  });
});
