import { describe, expect, it } from 'vitest';
import { InvalidLinkError } from '../src/errors.js';
import { parseSpotifyRef, requireSpotifyRef } from '../src/spotify/links.js';

const ID = '4uLU6hMCjMI75M1A2tKUQC';

describe('Spotify links', () => {
  it.each([
    `https://open.spotify.com/track/${ID}`,
    `http://open.spotify.com/track/${ID}`,
    `open.spotify.com/track/${ID}`,
    `https://open.spotify.com/track/${ID}/`,
    `https://open.spotify.com/track/${ID}?si=0123456789abcdef`,
    `https://open.spotify.com/track/${ID}?si=abc&context=spotify%3Aplaylist%3Ax`,
    `https://open.spotify.com/intl-de/track/${ID}`,
    `https://open.spotify.com/intl-pt-br/track/${ID}?si=x`,
    `https://open.spotify.com/embed/track/${ID}`,
    `https://play.spotify.com/track/${ID}`,
    `https://open.spotify.com/track/${ID}#anchor`,
    `  https://open.spotify.com/track/${ID}  `,
    `spotify:track:${ID}`,
    `SPOTIFY:TRACK:${ID}`,
    ID,
  ])('reads %s', (input) => {
    expect(parseSpotifyRef(input, 'track')).toEqual({ kind: 'track', id: ID });
  });

  it.each([
    [`https://open.spotify.com/playlist/${ID}`, 'playlist'],
    [`spotify:user:someone:playlist:${ID}`, 'playlist'],
    [`https://open.spotify.com/album/${ID}`, 'album'],
    [`https://open.spotify.com/artist/${ID}`, 'artist'],
    [`https://open.spotify.com/episode/${ID}`, 'podcast episode'],
    [`https://open.spotify.com/show/${ID}`, 'podcast'],
  ])('rejects %s for a track and says what it is', (input, kind) => {
    expect(() => parseSpotifyRef(input, 'track')).toThrow(InvalidLinkError);
    expect(() => parseSpotifyRef(input, 'track')).toThrow(`That is a Spotify ${kind} link; I need a track link.`);
  });

  it('reads playlists, albums and artists of the expected kind', () => {
    expect(parseSpotifyRef(`https://open.spotify.com/playlist/${ID}?si=1`, 'playlist')).toEqual({ kind: 'playlist', id: ID });
    expect(parseSpotifyRef(`spotify:user:bob:playlist:${ID}`, 'playlist')).toEqual({ kind: 'playlist', id: ID });
    expect(parseSpotifyRef(`spotify:album:${ID}`, 'album')).toEqual({ kind: 'album', id: ID });
    expect(parseSpotifyRef(`https://open.spotify.com/intl-fr/artist/${ID}/`, 'artist')).toEqual({ kind: 'artist', id: ID });
  });

  it('treats plain words as a name, and foreign or short links as errors', () => {
    expect(parseSpotifyRef('Piano Man', 'track')).toBeNull();
    expect(parseSpotifyRef('open spotify', 'track')).toBeNull();
    expect(() => parseSpotifyRef('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'track')).toThrow(/Spotify track link/);
    expect(() => parseSpotifyRef('https://spotify.link/AbCdEf', 'track')).toThrow(/open\.spotify\.com address/);
    expect(() => parseSpotifyRef(`https://open.spotify.com/track/${ID.slice(1)}`, 'track')).toThrow(InvalidLinkError);
    expect(() => requireSpotifyRef('my playlist', 'playlist')).toThrow(/Spotify playlist link/);
  });
});
