import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecords, type CsvRecord } from '../src/import/csvRecords.js';

async function read(chunks: readonly Buffer[]): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of csvRecords(Readable.from(chunks))) records.push(...batch);
  return records;
}

/** The bytes cut into pieces of `size`, so every line ending and multi-byte character is split somewhere. */
function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('csvRecords across chunk boundaries', () => {
  const text =
    '\ufeffid,name,artists\r\n' +
    '1,Plain,A\n' +
    '2,"Quoted, with comma",B\r' +
    '3,"Two\r\nlines",C\r\n' +
    '4,Beyoncé – Déjà Vu,D\n' +
    '5,12" Mix,E\r\n' +
    '\n' +
    '6,"broken"x,F\n' +
    '7,Last,G';

  it('gives the same records however the bytes arrive', async () => {
    const whole = await read([Buffer.from(text)]);
    expect(whole.map((r) => r.cells)).toEqual([
      ['id', 'name', 'artists'],
      ['1', 'Plain', 'A'],
      ['2', 'Quoted, with comma', 'B'],
      ['3', 'Two\nlines', 'C'],
      ['4', 'Beyoncé – Déjà Vu', 'D'],
      ['5', '12" Mix', 'E'],
      [''],
      null,
      ['7', 'Last', 'G'],
    ]);
    expect(whole.map((r) => [r.firstLine, r.lastLine])).toEqual([
      [1, 1], [2, 2], [3, 3], [4, 5], [6, 6], [7, 7], [8, 8], [9, 9], [10, 10],
    ]);
    for (const size of [1, 2, 3, 7, 16]) expect(await read(pieces(Buffer.from(text), size)), `pieces of ${size}`).toEqual(whole);
  });

  it('reads a Windows-1252 file the same however it is cut, even when a chunk ends on an accented letter', async () => {
    // é is 0xE9 in Windows-1252: also the first byte of a three-byte UTF-8 character.
    const bytes = Buffer.from('id,name\n1,Plain\n2,Beyoncé\n3,Déjà vu\n', 'latin1');
    const whole = await read([bytes]);
    expect(whole.map((r) => r.cells)).toEqual([['id', 'name'], ['1', 'Plain'], ['2', 'Beyoncé'], ['3', 'Déjà vu']]);
    for (const size of [1, 2, 3, 7, 16, 22, 23]) expect(await read(pieces(bytes, size)), `pieces of ${size}`).toEqual(whole);
  });

  it('reports a quote left open at the end of the stream', async () => {
    const records = await read(pieces(Buffer.from('a,b\n1,"open\n2,x\n'), 4));
    expect(records.at(-1)).toEqual({ cells: null, firstLine: 2, lastLine: 3, problem: 'unterminated quote' });
  });
});
