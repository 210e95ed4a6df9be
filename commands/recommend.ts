import {
  ApplicationCommandOptionType,
  MessageFlags,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { defineAnywhereCommand, type ButtonHandler, type BotContext, type HandlerContext, type SelectHandler } from '../bot/command.js';
import { ANOTHER_ONE, NOT_THIS_ONE, parseAnotherOne, parseNotThisOne } from '../bot/customIds.js';
import { plain } from '../bot/embeds/format.js';
import { recommendationMessage } from '../bot/embeds/recommendation.js';
import { withPicture } from '../bot/embeds/types.js';
import { MAX_SONG_QUERY, requireMaxLength } from '../bot/limits.js';
import { answer, deferAnswer } from '../bot/replies.js';
import { USER_INSTALLABLE } from '../bot/installs.js';
import { STEER_DIRECTIONS, STEERS } from '../src/recommender/steer.js';
import { parseSpotifyRef } from '../src/spotify/links.js';
import { describeStarterProgress } from '../src/starter/starterCatalog.js';
import type { Recommendation } from '../src/types.js';

export const RecommendCommand = {
  name: 'recommend',
  description: 'Get a song that sounds like one you name, and why',
  ...USER_INSTALLABLE,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'song',
      description: 'A song name ("Piano Man", "Piano Man - Billy Joel") or a Spotify track link',
      required: true,
      autocomplete: true,
      max_length: MAX_SONG_QUERY,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'steer',
      description: 'Like that song, but… (happier, calmer, faster, newer…)',
      required: false,
      choices: STEER_DIRECTIONS.map((value) => ({ name: STEERS[value].name, value })),
    },
  ],
} as const;

/** True when the catalog alone can answer: no Spotify request, so no need to defer. */
function answerableLocally(ctx: BotContext, song: string): boolean {
  const { app } = ctx;
  // While the starter catalog loads, the answer ("warming up") comes at once.
  if (!app.spotify || app.starter.progress()) return true;
  const ref = parseSpotifyRef(song, 'track');
  if (ref) return app.catalog.findIdBySpotifyId(ref.id) !== null;
  return app.search.resolve(song).hit !== null;
}

const choice = (name: string, artists: readonly string[], spotifyId: string, suffix = ''): ApplicationCommandOptionChoiceData<string> => ({
  name: plain(`${name} — ${artists.join(', ')}${suffix}`, 100),
  value: `spotify:track:${spotifyId}`,
});

/** Catalog songs by prefix, then Spotify's (when configured): every song option of /recommend and /mix. */
export async function suggestSongs(interaction: AutocompleteInteraction, ctx: BotContext): Promise<ApplicationCommandOptionChoiceData[]> {
  const typed = interaction.options.getFocused().trim();
  // While the starter catalog loads, the one suggestion says how far it got (picking it asks again).
  const warming = ctx.app.starter.progress();
  if (warming) return [{ name: plain(describeStarterProgress(warming), 100), value: typed.slice(0, 100) || 'warming up' }];
  if (typed.length === 0) return [];
  const local = ctx.app.search.search(typed, { prefix: true, limit: 25 }).map((h) => choice(h.name, h.artists, h.spotifyId));
  if (local.length >= 25 || typed.length < 3) return local;
  const suggestions = ctx.app.spotify?.suggestions;
  if (!suggestions) return local;
  const known = new Set(local.map((c) => c.value));
  // Limited per member and cancelled when they type on (see SpotifySuggestions); the catalog's matches always answer.
  const remote = (await suggestions.suggest(interaction.user.id, typed))
    .map((s) => choice(s.name, s.artists, s.spotifyId, ' · Spotify'))
    .filter((c) => !known.has(c.value));
  return [...local, ...remote].slice(0, 25);
}

/** Who asks and where, for the recommender: the guild the bot is in, or none (the member's personal scope). */
export function askerOf(interaction: { user: { id: string } }, ctx: HandlerContext) {
  return { guildId: ctx.place.guildId, userId: interaction.user.id };
}

export default defineAnywhereCommand({
  data: RecommendCommand,
  async execute(interaction, { song, steer }, ctx) {
    const timer = ctx.app.metrics.recommendSeconds.startTimer({ source: 'command' });
    requireMaxLength(song, MAX_SONG_QUERY, 'song');
    ctx.cooldowns.take(interaction.user.id);
    // Others are being answered first (a burst), or Spotify must be asked: say "thinking…" at once.
    if (ctx.work.busy || !answerableLocally(ctx, song)) await ctx.work.acknowledge(() => deferAnswer(interaction, ctx.place));
    const recommendation = await ctx.work.run(() => ctx.app.recommender.recommend(song, askerOf(interaction, ctx), { steer }));
    // Under load, pictures queue up: take Discord's 15-minute window instead of its 3 seconds.
    if (!interaction.deferred && ctx.pictures.busy) await ctx.work.acknowledge(() => deferAnswer(interaction, ctx.place));
    const picture = ctx.place.canAttach ? await ctx.pictures.comparison(recommendation, ctx.app.recommender.modelOf(recommendation)) : null;
    await answer(interaction, withPicture(recommendationMessage({ recommendation, query: song, requesterId: interaction.user.id }), picture), ctx.place);
    timer();
  },
  autocomplete: suggestSongs,
});

/**
 * Answers a button or select under a /recommend message with a new recommendation. The member
 * whose message it is gets it updated in place; anyone else gets their own, privately.
 */
async function answerUnderMessage(
  interaction: MessageComponentInteraction,
  ctx: HandlerContext,
  requesterId: string,
  source: 'another_one' | 'not_this_one',
  recommend: () => Recommendation,
  query: (recommendation: Recommendation) => string,
): Promise<void> {
  const timer = ctx.app.metrics.recommendSeconds.startTimer({ source });
  ctx.cooldowns.take(interaction.user.id);
  // In place only on the clicker's own message: the custom_id alone can be forged, the message's
  // interaction (who ran the /recommend, or got this private answer) cannot.
  const mine = interaction.user.id === requesterId && interaction.message.interactionMetadata?.user.id === interaction.user.id;
  const defer = () => ctx.work.acknowledge(() => (mine ? interaction.deferUpdate() : interaction.deferReply({ flags: MessageFlags.Ephemeral })));
  if (ctx.work.busy) await defer();
  const recommendation = await ctx.work.run(recommend);
  if (!interaction.deferred && ctx.pictures.busy) await defer();
  const picture = ctx.place.canAttach ? await ctx.pictures.comparison(recommendation, ctx.app.recommender.modelOf(recommendation)) : null;
  const message = withPicture(recommendationMessage({ recommendation, query: query(recommendation), requesterId: interaction.user.id }), picture);
  // Updating in place: the new picture replaces the old one (no attachments kept).
  if (interaction.deferred) await interaction.editReply(mine ? { ...message, attachments: [] } : message);
  else if (mine) await interaction.update({ ...message, attachments: [] });
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  timer();
}

/**
 * "Another one": the next pick from the same cluster (or the same steer), never a repeat for
 * whoever clicked.
 */
export const anotherOneButton: ButtonHandler = {
  prefix: ANOTHER_ONE,
  async handle(interaction, ctx) {
    const state = parseAnotherOne(interaction.customId);
    if (!state) throw new Error(`Malformed button ${interaction.customId}`);
    await answerUnderMessage(
      interaction,
      ctx,
      state.requesterId,
      'another_one',
      () => ctx.app.recommender.recommendForTrack(state.seedTrackId, askerOf(interaction, ctx), { noRepeats: true, steer: state.steer }),
      (recommendation) => `another one like ${recommendation.seed.name}`,
    );
  },
};

/**
 * "Not this one?": the answer for another song of the name typed, with the same steer. Its menu
 * then offers the song first taken and the rest, so a second choice is one more pick away.
 */
export const notThisOneSelect: SelectHandler = {
  prefix: NOT_THIS_ONE,
  async handle(interaction, ctx) {
    const state = parseNotThisOne(interaction.customId);
    const chosen = Number(interaction.values[0]);
    if (!state || !Number.isSafeInteger(chosen)) throw new Error(`Malformed select ${interaction.customId}`);
    const offered = interaction.component.options.map((option) => Number(option.value));
    // A forged value answers for any song of the catalog, which anyone may ask for anyway.
    const others = [state.seedTrackId, ...offered.filter((id) => id !== chosen && id !== state.seedTrackId)];
    await answerUnderMessage(
      interaction,
      ctx,
      state.requesterId,
      'not_this_one',
      () => ({
        ...ctx.app.recommender.recommendForTrack(chosen, askerOf(interaction, ctx), { steer: state.steer }),
        alternatives: ctx.app.recommender.songChoices(others),
      }),
      (recommendation) => recommendation.seed.name,
    );
  },
};
