import { describe, expect, it } from 'vitest';
import { foldText, primaryArtistOfKey, trackKeys } from '../src/catalog/normalize.js';

describe('text folding and track keys', () => {
  it('folds case, accents, ligatures and punctuation', () => {
    expect(foldText('Beyoncé – Halo!')).toBe('beyonce halo');
    expect(foldText('Straße Øresund Łódź')).toBe('strasse oresund lodz');
    expect(foldText("Don't Stop Me Now")).toBe('dont stop me now');
    expect(foldText('Simon & Garfunkel')).toBe('simon and garfunkel');
    expect(foldText('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
  });

  it('merges remasters and featured-artist credits into one recording', () => {
    const base = trackKeys('Piano Man', ['Billy Joel']).songKey;
    for (const name of ['Piano Man - Remastered 2004', 'Piano Man (2011 Remaster)', 'Piano Man [Digitally Remastered]', 'Piano Man (feat. Someone)', 'Piano Man - Mono Version']) {
      expect(trackKeys(name, ['Billy Joel']).songKey, name).toBe(base);
    }
    expect(trackKeys('Piano Man - Live', ['Billy Joel']).songKey).not.toBe(base);
    expect(trackKeys('Piano Man', ['Elton John']).songKey).not.toBe(base);
  });

  it('groups every version of a song under one work key', () => {
    const base = trackKeys('Memories', ['Maroon 5']).workKey;
    expect(trackKeys('Memories - Dillon Francis Remix', ['Maroon 5']).workKey).toBe(base);
    expect(trackKeys('Memories (Live at Wembley)', ['Maroon 5']).workKey).toBe(base);
    expect(trackKeys('Memories', ['Someone Else']).workKey).not.toBe(base);
    // A title that is only brackets keeps its words.
    expect(trackKeys('(I Can\'t Get No) Satisfaction', ['The Rolling Stones']).workKey).toBe('satisfaction|the rolling stones');
  });

  it('ends both keys with the folded primary artist, whatever the title holds', () => {
    for (const [name, artists] of [['Memories | Live', ['Maroon 5']], ['Halo', ['Beyoncé', 'Jay-Z']], ['Déjà Vu (feat. X)', ['A|B']], ['Solo', []]] as const) {
      const keys = trackKeys(name, artists);
      expect(primaryArtistOfKey(keys.songKey), name).toBe(foldText(artists[0] ?? ''));
      expect(primaryArtistOfKey(keys.workKey), name).toBe(foldText(artists[0] ?? ''));
    }
  });

  it('indexes title and all artists', () => {
    expect(trackKeys('Halo', ['Beyoncé', 'Jay-Z']).searchText).toBe('halo beyonce jay z');
  });
});
