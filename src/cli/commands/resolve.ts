import type { Command } from 'commander';
import { trackUrl } from '../../recommender/format.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

export function registerResolve(program: Command, ctx: CliContext): void {
  program
    .command('resolve')
    .description('Find a song in the catalog, or on Spotify (storing it with its audio features) when it is not there yet')
    .argument('<query...>', 'a song name or a Spotify track link, URI or ID')
    .option('--json', 'print the track as one JSON object')
    .action(async (args: string[], options: { json?: boolean }) => {
      const app = ctx.app({ create: true });
      const { track, source } = await app.recommender.resolve(args.join(' '));
      if (options.json) {
        printJson({ source, url: trackUrl(track.spotifyId), ...track });
        return;
      }
      printLines([
        `${track.name} — ${track.artists.join(', ')}${track.album ? `  (${track.album}${track.releaseYear ? `, ${track.releaseYear}` : ''})` : ''}`,
        `  ${trackUrl(track.spotifyId)}`,
        `  found in the ${source === 'catalog' ? 'catalog' : 'Spotify catalogue and stored'}; ${track.features ? `features from ${track.featuresProvider}` : 'no audio features yet (retried by later crawls)'}`,
      ]);
    });
}
