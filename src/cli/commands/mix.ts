import { InvalidArgumentError, type Command } from 'commander';
import { MixUnavailableError } from '../../errors.js';
import { trackUrl } from '../../recommender/format.js';
import { MAX_MIX_SEEDS, MIX_SIZE, type Mix } from '../../recommender/mix.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

function track(t: Mix['tracks'][number]) {
  return { id: t.id, spotifyId: t.spotifyId, name: t.name, artists: t.artists, album: t.album, releaseYear: t.releaseYear, url: trackUrl(t.spotifyId) };
}

function size(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIX_SIZE.min || n > MIX_SIZE.max) throw new InvalidArgumentError(`expected a whole number from ${MIX_SIZE.min} to ${MIX_SIZE.max}`);
  return n;
}

export function registerMix(program: Command, ctx: CliContext): void {
  program
    .command('mix')
    .description(`A set of ${MIX_SIZE.min}–${MIX_SIZE.max} songs that fits all the songs given, in an order where energy and tempo change gradually (as /mix)`)
    .argument('<songs...>', `1 to ${MAX_MIX_SEEDS} songs: names ("Piano Man - Billy Joel", quoted) or Spotify links`)
    .option('-n, --size <count>', `how many songs (${MIX_SIZE.default} by default)`, size)
    .option('--json', 'print the mix as one JSON object')
    .option('--user <id>', "leave out this user's 👎 and \"not for me\" (as the bot does per Discord user)")
    .option('--guild <id>', 'the guild whose votes apply')
    .action(async (songs: string[], options: { size?: number; json?: boolean; user?: string; guild?: string }) => {
      if (songs.length > MAX_MIX_SEEDS) throw new MixUnavailableError(`A mix takes at most ${MAX_MIX_SEEDS} songs; you gave ${songs.length}.`);
      const mix = await ctx.app().mixer.mix(songs, { userId: options.user, guildId: options.guild }, { size: options.size });
      if (options.json) {
        printJson({ seeds: mix.seeds.map(track), tracks: mix.tracks.map(track), modelId: mix.modelId });
        return;
      }
      printLines([
        `A mix of ${mix.tracks.length} from ${mix.seeds.map((s) => `${s.name} — ${s.artists.join(', ')}`).join(' / ')}`,
        ...mix.tracks.map((t, i) => `${String(i + 1).padStart(3)}. ${t.name} — ${t.artists.join(', ')}  ${trackUrl(t.spotifyId)}`),
      ]);
    });
}
