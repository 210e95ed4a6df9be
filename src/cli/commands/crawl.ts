import type { Command } from 'commander';
import type { CrawlSummary } from '../../crawl/types.js';
import { SpotifyNotConfiguredError } from '../../errors.js';
import { requireSpotifyRef } from '../../spotify/links.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';
import { createProgress } from '../progress.js';

const STAGE_WORDS: Record<string, string> = {
  playlist: 'reading the playlist',
  items: 'reading the playlist',
  artists: "listing the artists' albums",
  albums: 'reading albums',
  features: 'fetching audio features',
  commit: 'saving',
  done: 'done',
};

function summary(s: CrawlSummary): string[] {
  const c = s.counts;
  const skipped = Object.entries(c.skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} ${why === 'empty' ? 'removed' : why}`)
    .join(', ');
  if (s.unchanged) return [`"${s.playlistName}" has not changed since the last crawl: nothing to do (--force crawls anyway).`];
  return [
    `Crawled "${s.playlistName}"${s.resumed ? ' (resumed where the last run stopped)' : ''}`,
    `  playlist tracks   ${c.playlistTracks}${skipped ? `  (skipped: ${skipped})` : ''}`,
    ...(c.artists > 0 ? [`  artists expanded  ${c.artistsVisited} of ${c.artists}, ${c.albumsVisited} albums, ${c.albumTracks} album tracks`] : []),
    `  features fetched  ${c.featuresFetched}${c.featuresMissing > 0 ? `  (${c.featuresMissing} tracks have no features yet: stored, and retried by later crawls)` : ''}`,
    `  catalog           ${c.added} added, ${c.merged} merged with tracks it had`,
    `  requests          ${c.requests}`,
  ];
}

export function registerCrawl(program: Command, ctx: CliContext): void {
  program
    .command('crawl')
    .description('Add a Spotify playlist to the catalog: its tracks (and with --expand-artists, its artists\' albums) with audio features')
    .argument('<playlist>', 'a Spotify playlist link, URI or ID')
    .option('--expand-artists', "also crawl the albums and singles of every artist in the playlist")
    .option('--force', 'crawl even if the playlist has not changed since the last crawl')
    .option('--json', 'print the summary as one JSON object')
    .action(async (link: string, options: { expandArtists?: boolean; force?: boolean; json?: boolean }) => {
      const ref = requireSpotifyRef(link, 'playlist');
      const app = ctx.app({ create: true });
      if (!app.spotify) throw new SpotifyNotConfiguredError('crawl playlists');
      const seed = app.seeds.add('cli', ref.id, { expandArtists: options.expandArtists ?? false, addedBy: 'cli' });
      const progress = createProgress(process.stderr, 'Crawling');
      const result = await app.spotify.crawler
        .crawl(seed.id, {
          force: options.force,
          onProgress: (p) =>
            progress.update(
              p.playlistTotal ? Math.min(1, p.counts.playlistTracks / p.playlistTotal) : null,
              `${STAGE_WORDS[p.stage] ?? p.stage}: ${p.counts.playlistTracks + p.counts.albumTracks} tracks, ${p.counts.featuresFetched} with features`,
            ),
        })
        .finally(() => progress.done());
      if (options.json) printJson(result);
      else printLines(summary(result));
    });
}
