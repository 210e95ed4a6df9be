import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/clustering/random.js';
import { ImportFormatError, InputFileError, isUserError } from '../src/errors.js';
import { importCsv } from '../src/import/importCsv.js';
import type { ImportReport } from '../src/types.js';
import { hostileInputs } from './corpus/hostile.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { catalogInvariants, catalogRows, NO_VIOLATIONS } from './helpers/catalogRows.js';

// The CSV importer against hostile files: the corpus (test/corpus) as track and artist names,
// broken rows of every kind, line endings, byte-order marks, broken quotes and files that are not
// CSV at all. The import never crashes (a file it cannot read fails with a user error), reports
// every skipped row with its reason and line, and stores exactly the valid rows, as written.

const HEADER = ['track_id', 'track_name', 'artists', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'];
const FEATURES = [0.5, 0.6, 3, -7.5, 1, 0.04, 0.3, 0, 0.1, 0.7, 120.5];
/** The cells the importer reads as "no value". */
const MISSING = new Set(['', 'na', 'nan', 'null', 'none', 'n/a', '-']);

/** A 22-character Spotify-style ID, distinct per number. */
const id = (n: number) => `Csv${n.toString(36).padStart(19, '0')}`;

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
const line = (cells: (string | number)[]) => cells.map(cell).join(',');
const row = (n: number, name: string, artists = 'Artist', features: (string | number)[] = FEATURES) => line([id(n), name, artists, ...features]);

/** C0 control characters other than tab and line breaks, and DEL. */
const hasControlCharacter = (text: string, allowLineBreaks = true) =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code === 0x7f || (code < 0x20 && !(c === '\t' || (allowLineBreaks && (c === '\n' || c === '\r'))));
  });

/** A string as the importer reads it back from UTF-8 (lone surrogates become U+FFFD). */
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

describe('hostile CSV files', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.dispose());

  const write = (name: string, content: string | Buffer) => {
    const path = join(app.dir, name);
    writeFileSync(path, content);
    return path;
  };
  const importFile = (path: string) => importCsv(app.catalog, path, { maxSkippedLines: 100_000 });
  const stored = () =>
    new Map(
      (app.database.sqlite.prepare('SELECT spotify_id, name, artists FROM tracks').all() as { spotify_id: string; name: string; artists: string }[]).map((t) => [
        t.spotify_id,
        { name: t.name, artists: JSON.parse(t.artists) as string[] },
      ]),
    );
  const aliases = () => new Set(app.database.sqlite.prepare('SELECT spotify_id FROM track_aliases').pluck().all() as string[]);
  const integrity = () => app.database.sqlite.pragma('integrity_check', { simple: true });

  it('takes the whole corpus as track and artist names: stores each valid row as written, skips the rest with a reason', async () => {
    // Control characters and line breaks are their own case (see below); everything else is here.
    const corpus = hostileInputs()
      .map((i) => i.text)
      .filter((text) => !hasControlCharacter(text, false));
    expect(corpus.length).toBeGreaterThan(1_000);
    const artistsOf = (i: number) => corpus[(i * 7 + 3) % corpus.length]!;
    const path = write('corpus.csv', `${[HEADER.join(','), ...corpus.map((name, i) => row(i, name, artistsOf(i)))].join('\n')}\n`);
    const report = await importFile(path);
    expect(integrity()).toBe('ok');
    expect(catalogInvariants(app.database.sqlite)).toEqual(NO_VIOLATIONS);
    expect(report.rowsRead).toBe(corpus.length);

    const tracks = stored();
    const merged = aliases();
    const problems: string[] = [];
    let skipped = 0;
    corpus.forEach((text, i) => {
      const name = utf8(text).trim();
      const track = tracks.get(id(i));
      if (!track && !merged.has(id(i))) {
        skipped++;
        // Skipped: only for a name or artists the importer reads as missing.
        const artists = utf8(artistsOf(i)).trim();
        if (!MISSING.has(name.toLowerCase()) && !MISSING.has(artists.toLowerCase()) && !/^[\s;]*$/.test(artists) && !/^\[.*\]$/.test(artists)) {
          problems.push(`row ${i} ${JSON.stringify(text).slice(0, 60)} was skipped`);
        }
        return;
      }
      if (!track) return; // merged into an earlier row of the same recording: that row's name stands
      if (track.name !== name) problems.push(`row ${i}: stored ${JSON.stringify(track.name).slice(0, 60)} for ${JSON.stringify(name).slice(0, 60)}`);
      if (track.artists.length === 0 || track.artists.some((a) => a.trim() === '' || a !== a.trim())) problems.push(`row ${i}: artists ${JSON.stringify(track.artists)}`);
    });
    expect(problems).toEqual([]);
    expect(report.skipped).toBe(skipped);
    expect(Object.keys(report.skippedReasons).every((reason) => ['missing name', 'missing artists'].includes(reason))).toBe(true);
    expect(report.skippedLines).toHaveLength(skipped);
    expect([...tracks.keys()].every((key) => key.startsWith('Csv'))).toBe(true);
  });

  it('skips every broken row with its reason and line, and stores every other row exactly as written', async () => {
    const random = seededRandom(1_234);
    const junk = () => Buffer.from(Array.from({ length: 120 }, () => [0x01, 0x02, 0x07, 0x7f, 0xc3, 0xff, 0xfe, 0x80, 0xa0, 0x41][Math.floor(random() * 10)]!)).toString('latin1');
    const valid: { n: number; name: string; artists: string }[] = [];
    const broken: { text: string; reason: string }[] = [];
    let n = 0;
    const good = (name: string, artists = 'Artist') => {
      valid.push({ n, name, artists });
      return row(n++, name, artists);
    };
    const bad = (reason: string, text: string) => {
      broken.push({ text, reason });
      return text;
    };
    const f = FEATURES;
    const rows: string[] = [];
    // Plain rows first: CSV readers guess the delimiter from the first lines.
    for (let i = 0; i < 20; i++) rows.push(good(`Plain Song ${i}`));
    rows.push(
      bad('wrong number of columns', line([id(n++), 'Truncated', 'Artist', 0.5, 0.6])),
      bad('wrong number of columns', `${row(n++, 'One Too Many')},extra`),
      bad('wrong number of columns', line([id(n++)])),
      bad('wrong number of columns', junk()),
      bad('wrong number of columns', `${junk()},${junk()}`),
      bad('invalid Spotify track ID', HEADER.join(',')),
      bad('invalid Spotify track ID', line(["'; DROP TABLE tracks; --", 'SQL ID', 'Artist', ...f])),
      bad('invalid Spotify track ID', line(["=cmd|' /C calc'!A0", 'Formula ID', 'Artist', ...f])),
      bad('invalid Spotify track ID', line(['https://evil.example/track/4uLU6hMCjMI75M1A2tKUQC', 'Not Spotify', 'Artist', ...f])),
      bad('invalid Spotify track ID', line([`${id(n++)}%`, 'LIKE in ID', 'Artist', ...f])),
      bad('missing spotifyId', ','.repeat(HEADER.length - 1)),
      bad('missing name', line([id(n++), '', 'Artist', ...f])),
      bad('missing name', line([id(n++), 'NULL', 'Artist', ...f])),
      bad('missing name', line([id(n++), '   ', 'Artist', ...f])),
      bad('missing artists', line([id(n++), 'No Artist', '', ...f])),
      bad('missing artists', line([id(n++), 'Only Separators', ' ; ; ', ...f])),
      bad('danceability out of range', line([id(n++), 'Too Danceable', 'Artist', 1.5, ...f.slice(1)])),
      bad('missing danceability', line([id(n++), 'NaN Danceable', 'Artist', 'NaN', ...f.slice(1)])),
      bad('danceability out of range', line([id(n++), 'Infinite', 'Artist', '1e309', ...f.slice(1)])),
      bad('danceability out of range', line([id(n++), 'Negative', 'Artist', -0.1, ...f.slice(1)])),
      bad('danceability out of range', line([id(n++), 'Words', 'Artist', "'; DROP TABLE audio_features; --", ...f.slice(1)])),
      bad('key out of range', line([id(n++), 'Key Twelve', 'Artist', ...f.slice(0, 2), 12, ...f.slice(3)])),
      bad('key out of range', line([id(n++), 'Key H', 'Artist', ...f.slice(0, 2), 'H', ...f.slice(3)])),
      bad('loudness out of range', line([id(n++), 'Too Loud', 'Artist', ...f.slice(0, 3), 99, ...f.slice(4)])),
      bad('mode out of range', line([id(n++), 'Mode Two', 'Artist', ...f.slice(0, 4), 2, ...f.slice(5)])),
      bad('tempo out of range', line([id(n++), 'No Beat', 'Artist', ...f.slice(0, 10), 0])),
      bad('tempo out of range', line([id(n++), 'Too Fast', 'Artist', ...f.slice(0, 10), 9_999])),
      good("=cmd|' /C calc'!A0", '@SUM(1+1)*cmd'),
      good('=HYPERLINK("https://evil.example","click")', '+1'),
      good("Robert'); DROP TABLE tracks;--", "'; DELETE FROM audio_features; --"),
      good('100% _pure_ LIKE \\%', '%_%'),
      good('@everyone <@&123456789012345678>', '**Bold** Artist; __Second__'),
      good('x'.repeat(100_000), 'Huge Field'),
      good('\u202eRTL override\u200b zero-width', '\u2066Isolated\u2069'),
      good('Emoji 🎹 and 𝐁𝐨𝐥𝐝', 'Zoë Noël; Søren Ångström'),
    );
    for (let i = 0; i < 5; i++) rows.push(good(`Closing Song ${i}`));
    // A line with only spaces is no row at all; the file ends without a newline.
    rows.splice(25, 0, '    ');
    const path = write('broken.csv', [HEADER.join(','), ...rows].join('\n'));
    const report = await importFile(path);
    expect(integrity()).toBe('ok');

    const lineOf = (text: string) => rows.indexOf(text) + 2; // the header is line 1
    const expected = broken.map((b) => ({ line: lineOf(b.text), reason: b.reason })).sort((a, b) => a.line - b.line);
    const reasons: Record<string, number> = {};
    for (const b of broken) reasons[b.reason] = (reasons[b.reason] ?? 0) + 1;
    expect(report).toMatchObject({ rowsRead: rows.length - 1, skipped: broken.length, skippedReasons: reasons, tracksAdded: valid.length });
    expect(report.skippedLines).toEqual(expected.map((e) => e.line));

    const tracks = stored();
    expect([...tracks.keys()].sort()).toEqual(valid.map((v) => id(v.n)).sort());
    for (const v of valid) {
      expect(tracks.get(id(v.n))).toEqual({ name: v.name, artists: v.artists.split(';').map((a) => a.trim()) });
      expect(app.catalog.getTrackBySpotifyId(id(v.n))?.features).toMatchObject({ danceability: 0.5, tempo: 120.5, key: 3 });
    }
  });

  it('reads LF, CRLF and CR line endings and a byte-order mark alike', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i, `Ending Song ${i}`, `Artist ${i % 4}; Guest`));
    const variants: Record<string, string> = {
      lf: `${[HEADER.join(','), ...rows].join('\n')}\n`,
      crlf: `${[HEADER.join(','), ...rows].join('\r\n')}\r\n`,
      cr: `${[HEADER.join(','), ...rows].join('\r')}\r`,
      bomCrlf: `\ufeff${[HEADER.join(','), ...rows].join('\r\n')}`,
    };
    const catalogs: Record<string, unknown> = {};
    for (const [name, content] of Object.entries(variants)) {
      const variant = createTestApp();
      try {
        mkdirSync(join(variant.dir, name));
        const path = join(variant.dir, name, 'tracks.csv');
        writeFileSync(path, content);
        const report = await importCsv(variant.catalog, path);
        expect(report, name).toMatchObject({ rowsRead: 30, tracksAdded: 30, skipped: 0 });
        catalogs[name] = catalogRows(variant.database.sqlite);
      } finally {
        variant.dispose();
      }
    }
    expect(catalogs.crlf).toEqual(catalogs.lf);
    expect(catalogs.cr).toEqual(catalogs.lf);
    expect(catalogs.bomCrlf).toEqual(catalogs.lf);
  });

  it('a file that is not CSV fails with a clear error and writes nothing', async () => {
    const random = seededRandom(99);
    const bytes = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
    const gz = gzipSync(Buffer.from(`${[HEADER.join(','), ...Array.from({ length: 50 }, (_, i) => row(i, `Gz ${i}`))].join('\n')}\n`));
    const cases: [string, string | Buffer, typeof InputFileError | typeof ImportFormatError][] = [
      ['binary.csv', bytes(5_000), ImportFormatError],
      ['empty.csv', '', InputFileError],
      ['bom-only.csv', '\ufeff', InputFileError],
      ['nul.csv', Buffer.alloc(2_000), ImportFormatError],
      ['truncated.csv.gz', gz.subarray(0, 30), InputFileError],
      ['header-junk.csv', `${bytes(300).toString('latin1').replace(/[\r\n]/g, '')}\n${row(1, 'Song')}\n`, ImportFormatError],
    ];
    for (const [name, content, type] of cases) {
      const outcome = await importFile(write(name, content)).then(
        (report: ImportReport) => report,
        (error: unknown) => error,
      );
      expect(outcome, name).toBeInstanceOf(type);
      expect(isUserError(outcome), name).toBe(true);
    }
    mkdirSync(join(app.dir, 'a-directory.csv'));
    await expect(importFile(join(app.dir, 'a-directory.csv'))).rejects.toBeInstanceOf(InputFileError);
    await expect(importFile(join(app.dir, 'missing.csv'))).rejects.toBeInstanceOf(InputFileError);
    expect(app.catalog.counts().tracks).toBe(0);
    expect(integrity()).toBe('ok');
  });

  // How the importer (src/import/csvRecords.ts, rows.ts) treats text that general CSV readers get wrong.

  // A NUL or other control character is no part of a name: the row is skipped, with a reason.
  it('a name with NUL or control characters is skipped with a reason, not stored', async () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row(i, `Plain ${i}`)), row(20, 'Pia\u0000no'), row(21, 'Bell\u0007'), row(22, '\u001b[31mRed\u001b[0m')];
    const report = await importFile(write('control.csv', `${[HEADER.join(','), ...rows].join('\n')}\n`));
    expect(report.skippedLines).toEqual([14, 15, 16]);
    expect([id(20), id(21), id(22)].map((key) => stored().has(key))).toEqual([false, false, false]);
  });

  // A file that is not valid UTF-8 is read as Windows-1252 (Latin-1's superset).
  it('Latin-1 text is read as Latin-1 or skipped with a reason, never stored as replacement characters', async () => {
    const content = Buffer.concat([
      Buffer.from(`${HEADER.join(',')}\n${Array.from({ length: 12 }, (_, i) => row(i, `Plain ${i}`)).join('\n')}\n`),
      Buffer.from(`${id(30)},Caf\xe9 Se\xf1or,Bj\xf6rk,${FEATURES.join(',')}\n`, 'latin1'),
    ]);
    const report = await importFile(write('latin1.csv', content));
    const track = stored().get(id(30));
    if (track) expect(track).toEqual({ name: 'Café Señor', artists: ['Björk'] });
    else expect(report.skippedLines).toEqual([14]);
  });

  // The delimiter is taken from the header line, not guessed from the data.
  it('a comma file whose first rows have semicolons in quoted fields imports', async () => {
    const rows = [row(1, "'; DROP TABLE tracks; --", "Robert'); DROP TABLE students;--"), row(2, 'Plain')];
    const report = await importFile(write('semicolons.csv', `${[HEADER.join(','), ...rows].join('\n')}\n`));
    expect(report).toMatchObject({ rowsRead: 2, tracksAdded: 2 });
  });

  // \n, \r\n and \r end lines alike, mixed in one file.
  it('rows with mixed line endings are all read', async () => {
    const content = `${HEADER.join(',')}\r\n${row(1, 'Mixed A')}\n${row(2, 'Mixed B')}\r${row(3, 'Mixed C')}\r\n`;
    const report = await importFile(write('mixed.csv', content));
    expect(report).toMatchObject({ rowsRead: 3, tracksAdded: 3 });
  });

  // Broken quoting is confined to the lines it spans, and every one of them is reported.
  it('a stray quote inside a field skips that row only', async () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row(i, `Before ${i}`)), `${id(50)},"Quoted"then more,Artist,${FEATURES.join(',')}`, row(51, 'After')];
    const report = await importFile(write('stray-quote.csv', `${[HEADER.join(','), ...rows].join('\n')}\n`));
    expect(report).toMatchObject({ rowsRead: 14, skipped: 1, skippedLines: [14] });
    expect(stored().has(id(51))).toBe(true);
  });

  it('an unterminated quote is reported with every line it swallowed', async () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row(i, `Before ${i}`)), `${id(40)},"Unterminated,Artist,${FEATURES.join(',')}`, row(41, 'After 1'), row(42, 'After 2')];
    const report = await importFile(write('unterminated.csv', `${[HEADER.join(','), ...rows].join('\n')}\n`));
    expect(report.rowsRead).toBe(15);
    expect(report.skippedLines).toEqual([14, 15, 16]);
  });

  // Skipped rows are numbered by the file's lines, also after quoted line breaks.
  it('skipped line numbers are the file\'s lines, also after a quoted field with line breaks', async () => {
    const rows = [...Array.from({ length: 12 }, (_, i) => row(i, `Plain ${i}`)), row(20, 'Two\nLines'), row(21, 'Bad', 'Artist', [2, ...FEATURES.slice(1)])];
    const report = await importFile(write('multiline.csv', `${[HEADER.join(','), ...rows].join('\n')}\n`));
    // The two-line record starts on line 14 (a line break is no part of a name, so it is skipped);
    // the next record is on line 16, not 15.
    expect(report.skippedLines).toEqual([14, 16]);
    expect(report.skippedReasons).toEqual({ 'control characters in name': 1, 'danceability out of range': 1 });
  });

  // Header cells in an error are shown without control characters, and bounded.
  it('the missing-column error shows the header without terminal control characters', async () => {
    const outcome = await importFile(write('escape.csv', `track_id,\u001b[2J\u001b]0;pwned\u0007name,artists\n1,2,3\n`)).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ImportFormatError);
    expect(hasControlCharacter((outcome as Error).message, false)).toBe(false);
  });
});
