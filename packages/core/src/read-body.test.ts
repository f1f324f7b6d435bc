import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.js';

describe('readBody', () => {
  it('parses JSON from text and bytes, and keeps objects as they are', () => {
    const parsed = { message: 'Forbidden' };
    expect(readBody(parsed).json).toBe(parsed);
    expect(readBody(' {"message":"Forbidden"} ').json).toEqual(parsed);
    expect(readBody(Buffer.from('{"message":"Forbidden"}')).json).toEqual(parsed);
    expect(readBody(new TextEncoder().encode('[1,2]').buffer).json).toEqual([1, 2]);
    expect(readBody(new DataView(new TextEncoder().encode('{"a":1}').buffer)).json).toEqual({ a: 1 });
  });

  it('keeps text that is not a JSON object as text', () => {
    expect(readBody('Order with ID 12311231 not found')).toEqual({ text: 'Order with ID 12311231 not found' });
    expect(readBody('{"broken": ')).toEqual({ text: '{"broken": ' });
    expect(readBody('"just a string"')).toEqual({ text: 'just a string' });
    expect(readBody(404)).toEqual({ text: '404' });
  });

  it('reads nothing from empty, absent and unreadable bodies', () => {
    for (const body of ['', '  \n', null, undefined, new Uint8Array(0), Symbol('x'), () => 1, new Blob(['x']), new Map()]) expect(readBody(body)).toEqual({});
  });

  it('decodes only the first 64 KB of a huge binary body and does not parse a cut text', () => {
    const huge = Buffer.alloc(5_000_000, 'a');
    huge.write('{"message":"x",', 0);
    const read = readBody(huge);
    expect(read.json).toBeUndefined();
    expect(read.text?.length).toBe(65_536);
  });

  it('replaces invalid UTF-8 instead of failing', () => {
    expect(readBody(new Uint8Array([0xc3, 0x28, 0x41])).text).toBe('\uFFFD(A');
  });
});
