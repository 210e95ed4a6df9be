import { ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { notThisOneId, parseNotThisOne } from '../bot/customIds.js';
import { recommendationMessage, songLabel } from '../bot/embeds/recommendation.js';
import type { Recommendation, SongChoice, TrackWithFeatures } from '../src/types.js';
import { recommendationOf } from './helpers/recommendation.js';

// The "Not this one?" menu as the message builder draws it, without Discord.

const track = (id: number, name: string, artists: string[], releaseYear: number | null): TrackWithFeatures => ({
  id,
  spotifyId: `t${String(id).padStart(21, '0')}`,
  name,
  artists,
  album: null,
  coverUrl: null,
  releaseYear,
  popularity: null,
  durationMs: null,
  features: null,
  featuresProvider: null,
});

const recommendation = (alternatives?: SongChoice[]): Recommendation =>
  recommendationOf(track(1, 'Bohemian Rhapsody - 2011 Mix', ['Queen'], 1975), track(2, 'Pick', ['Someone'], 1980), {
    query: 'bohemian rhapsody',
    ...(alternatives ? { alternatives } : {}),
  });

const menuOf = (alternatives?: SongChoice[]) => {
  const message = recommendationMessage({ recommendation: recommendation(alternatives), query: 'bohemian rhapsody', requesterId: '42' });
  const rows = message.components as { components: { type: number; custom_id?: string; options?: { label: string; value: string }[] }[] }[];
  return { message, menu: rows.flatMap((row) => row.components).find((c) => c.custom_id?.startsWith('rec:alt:')) };
};

describe('"Not this one?"', () => {
  it('is not offered when the name matched one song', () => {
    expect(menuOf().menu).toBeUndefined();
    expect(menuOf([]).menu).toBeUndefined();
    expect(menuOf().message.embeds![0]!.footer!.text).toBe('You asked for "bohemian rhapsody"');
  });

  it('says which song it took and offers up to five others, "title — artist (year)", their IDs as values', () => {
    const alternatives = Array.from({ length: 7 }, (_, k) => ({ trackId: 10 + k, name: 'Bohemian Rhapsody', artists: [`Cover ${k}`], releaseYear: k === 0 ? null : 2000 + k }));
    const { message, menu } = menuOf(alternatives);
    expect(message.embeds![0]!.footer!.text).toContain('took Bohemian Rhapsody - 2011 Mix — Queen (1975) · not this one? Pick another below');
    expect(menu).toMatchObject({ type: ComponentType.StringSelect, custom_id: 'rec:alt:1:42' });
    expect(menu!.options!.map((o) => o.label)).toEqual([
      'Bohemian Rhapsody — Cover 0',
      'Bohemian Rhapsody — Cover 1 (2001)',
      'Bohemian Rhapsody — Cover 2 (2002)',
      'Bohemian Rhapsody — Cover 3 (2003)',
      'Bohemian Rhapsody — Cover 4 (2004)',
    ]);
    expect(menu!.options!.map((o) => o.value)).toEqual(['10', '11', '12', '13', '14']);
  });

  it('keeps labels within Discord\'s 100 characters and free of mentions and links', () => {
    const { menu } = menuOf([{ trackId: 9, name: `@everyone ${'very long title '.repeat(12)}`, artists: ['<@123456789012345678>'], releaseYear: 1999 }]);
    const label = menu!.options![0]!.label;
    expect(label.length).toBeLessThanOrEqual(100);
    expect(label).not.toMatch(/@everyone|<@\d/);
    expect(songLabel({ name: 'Song', artists: ['A', 'B'], releaseYear: null })).toBe('Song — A, B');
  });

  it('carries the song answered for, who asked and the steer in its custom_id', () => {
    const id = notThisOneId({ seedTrackId: 7, requesterId: '123', steer: 'happier' });
    expect(id).toBe('rec:alt:7:123:happier');
    expect(parseNotThisOne(id)).toEqual({ seedTrackId: 7, requesterId: '123', steer: 'happier' });
    expect(parseNotThisOne('rec:alt:7:123:sideways')).toBeNull();
    expect(parseNotThisOne('rec:alt:x:123')).toBeNull();
  });
});
