import { ApplicationCommandOptionType } from 'discord.js';
import { defineAnywhereCommand } from '../bot/command.js';
import { mixMessage } from '../bot/embeds/mix.js';
import { withPicture } from '../bot/embeds/types.js';
import { USER_INSTALLABLE } from '../bot/installs.js';
import { MAX_SONG_QUERY, requireMaxLength } from '../bot/limits.js';
import { answer, deferAnswer } from '../bot/replies.js';
import { MIX_SIZE } from '../src/recommender/mix.js';
import { askerOf, suggestSongs } from './recommend.js';

const song = (n: number, required: boolean) =>
  ({
    type: ApplicationCommandOptionType.String,
    name: `song${n}`,
    description: n === 1 ? 'A song the mix should fit (name or Spotify link)' : 'Another song it should fit',
    required,
    autocomplete: true,
    max_length: MAX_SONG_QUERY,
  }) as const;

export const MixCommand = {
  name: 'mix',
  description: 'A set of songs that fits all the songs you name, in an order that flows',
  ...USER_INSTALLABLE,
  options: [
    song(1, true),
    song(2, false),
    song(3, false),
    song(4, false),
    song(5, false),
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'size',
      description: `How many songs (${MIX_SIZE.min}–${MIX_SIZE.max}, ${MIX_SIZE.default} by default)`,
      required: false,
      min_value: MIX_SIZE.min,
      max_value: MIX_SIZE.max,
    },
  ],
} as const;

export default defineAnywhereCommand({
  data: MixCommand,
  async execute(interaction, args, ctx) {
    const songs = [args.song1, args.song2, args.song3, args.song4, args.song5].filter((s): s is string => s !== undefined && s.trim() !== '');
    for (const [i, s] of songs.entries()) requireMaxLength(s, MAX_SONG_QUERY, `song${i + 1}`);
    ctx.cooldowns.take(interaction.user.id);
    // Songs may need Spotify, and the picture takes a moment: take the long window at once.
    await ctx.work.acknowledge(() => deferAnswer(interaction, ctx.place));
    // A mix scans the whole catalog: queued with the recommendations, not ahead of them.
    const mix = await ctx.work.run(() => ctx.app.mixer.mix(songs, askerOf(interaction, ctx), { size: args.size }));
    const picture = ctx.place.canAttach ? await ctx.pictures.mix(mix, ctx.app.recommender.modelOf(mix)) : null;
    await answer(interaction, withPicture(mixMessage(mix), picture), ctx.place);
  },
  autocomplete: suggestSongs,
});
