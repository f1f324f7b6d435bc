import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { headerEntries, readHeader } from './read-headers.js';

describe('readHeader', () => {
  it('matches names case-insensitively in plain objects', () => {
    expect(readHeader({ 'X-Amzn-RequestId': 'r-1' }, 'x-amzn-requestid')).toBe('r-1');
    expect(readHeader({ 'x-amzn-requestid': 'r-2' }, 'X-Amzn-RequestId')).toBe('r-2');
  });

  it('reads Headers, AxiosHeaders, Maps and iterables of pairs', () => {
    expect(readHeader(new Headers({ 'X-Amzn-ErrorType': 'ForbiddenException' }), 'x-amzn-errortype')).toBe('ForbiddenException');
    expect(readHeader(new AxiosHeaders({ 'X-Amzn-ErrorType': 'ForbiddenException' }), 'x-amzn-errortype')).toBe('ForbiddenException');
    expect(readHeader(new Map([['X-Amzn-ErrorType', 'ForbiddenException']]), 'x-amzn-errortype')).toBe('ForbiddenException');
    expect(readHeader([['retry-after', '3']], 'Retry-After')).toBe('3');
  });

  it('gives the first of several values, numbers as text, and null as absent', () => {
    expect(readHeader({ 'x-amzn-errortype': ['A', 'B'] }, 'x-amzn-errortype')).toBe('A');
    expect(readHeader({ 'retry-after': 5 }, 'retry-after')).toBe('5');
    expect(readHeader({ 'retry-after': null }, 'retry-after')).toBeUndefined();
    expect(readHeader({ 'retry-after': undefined, 'Retry-After': '7' }, 'retry-after')).toBe('7');
    expect(readHeader(null, 'retry-after')).toBeUndefined();
    expect(readHeader('retry-after: 3', 'retry-after')).toBeUndefined();
  });

  it('never throws on objects that refuse to be read', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    const brokenGet = { get: () => { throw new Error('boom'); }, 'retry-after': '2' };
    const brokenIterator = { [Symbol.iterator]: (): Iterator<unknown> => { throw new Error('boom'); } };
    expect(readHeader(trap, 'retry-after')).toBeUndefined();
    expect(readHeader(brokenGet, 'retry-after')).toBe('2');
    expect(readHeader(brokenIterator, 'retry-after')).toBeUndefined();
  });
});

describe('headerEntries', () => {
  it('lists every value of every header, from any container', () => {
    expect(headerEntries({ 'Set-Cookie': ['a=1', 'b=2'], Authorization: 'Bearer t' })).toEqual([['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['Authorization', 'Bearer t']]);
    expect(headerEntries(new Headers({ 'X-Api-Key': 'k' }))).toEqual([['x-api-key', 'k']]);
    expect(headerEntries(new AxiosHeaders({ 'X-Api-Key': 'k' }))).toContainEqual(['X-Api-Key', 'k']);
  });
});
