import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { defineAnywhereCommand, type ButtonHandler, type HandlerContext, type SelectHandler } from '../bot/command.js';
import { FEEDBACK, MIX_FEEDBACK, NOT_FOR_ME, parseFeedback, parseMixFeedback, parseNotForMe, parseNotForMeValue, parseTasteReset, parseUnblock, TASTE_RESET, UNBLOCK } from '../bot/customIds.js';
import { safe } from '../bot/embeds/format.js';
import { successMessage } from '../bot/embeds/notices.js';
import { blockAck, tasteMessage, unblockAck } from '../bot/embeds/taste.js';
import { mixVoteAck, voteAck } from '../bot/embeds/votes.js';
import { USER_INSTALLABLE } from '../bot/installs.js';
import { scopeWords } from '../bot/place.js';
import { tasteSummary } from '../src/feedback/taste.js';
import { InvalidOptionError, UnknownSongError } from '../src/errors.js';

export const TasteCommand = {
  name: 'taste',
  description: 'What I have learnt from your 👍 and 👎, and what you marked "not for me"',
  ...USER_INSTALLABLE,
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'The clusters and songs you like and skip, and what you never want' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'reset', description: 'Forget all your votes here (your "not for me" list stays)' },
  ],
} as const;

function forget(ctx: HandlerContext, userId: string) {
  const removed = ctx.app.feedback.resetMember(ctx.place.scope, userId);
  return successMessage(removed > 0 ? `Forgotten: your ${removed} vote${removed === 1 ? '' : 's'} ${scopeWords(ctx.place)}.` : 'There was nothing to forget.');
}

function showTaste(ctx: HandlerContext, userId: string) {
  const summary = tasteSummary(ctx.app, ctx.place.scope, userId);
  return tasteMessage(summary, ctx.app.blocks.list(ctx.place.scope, userId), userId, scopeWords(ctx.place));
}

export default defineAnywhereCommand({
  data: TasteCommand,
  async execute(interaction, args, ctx) {
    ctx.cooldowns.take(interaction.user.id, 'taste');
    const message = args.reset ? forget(ctx, interaction.user.id) : showTaste(ctx, interaction.user.id);
    await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  },
});

/** 👍 / 👎 under a pick: stored once per member and pick (a second click changes it), acknowledged privately. */
export const voteButton: ButtonHandler = {
  prefix: FEEDBACK,
  async handle(interaction, ctx) {
    const vote = parseFeedback(interaction.customId);
    if (!vote) throw new Error(`Malformed button ${interaction.customId}`);
    const track = ctx.app.catalog.getTrack(vote.trackId);
    if (!track) throw new UnknownSongError(`track #${vote.trackId}`, []);
    const change = ctx.app.feedback.vote(ctx.place.scope, interaction.user.id, track.id, vote.vote);
    await interaction.reply({ ...successMessage(voteAck(safe(track.name, 150), vote.vote, change)), flags: MessageFlags.Ephemeral });
  },
};

/** 👍 / 👎 on songs of a mix: the member picks any of its songs in either select. */
export const mixVoteSelect: SelectHandler = {
  prefix: MIX_FEEDBACK,
  async handle(interaction, ctx) {
    const vote = parseMixFeedback(interaction.customId);
    if (vote === null) throw new Error(`Malformed select ${interaction.customId}`);
    const tracks = interaction.values.flatMap((value) => {
      const track = /^\d+$/.test(value) ? ctx.app.catalog.getTrack(Number(value)) : null;
      return track ? [track] : [];
    });
    if (tracks.length === 0) throw new UnknownSongError('those songs', []);
    for (const track of tracks) ctx.app.feedback.vote(ctx.place.scope, interaction.user.id, track.id, vote);
    await interaction.reply({ ...successMessage(mixVoteAck(tracks.map((t) => safe(t.name, 80)), vote)), flags: MessageFlags.Ephemeral });
  },
};

/** "Not for me" under a pick: that artist, or that song, is never picked for this member here again. */
export const notForMeSelect: SelectHandler = {
  prefix: NOT_FOR_ME,
  async handle(interaction, ctx) {
    const trackId = parseNotForMe(interaction.customId);
    const choice = parseNotForMeValue(interaction.values[0] ?? '');
    if (trackId === null || !choice) throw new Error(`Malformed select ${interaction.customId}`);
    const track = ctx.app.catalog.getTrack(trackId);
    if (!track) throw new UnknownSongError(`track #${trackId}`, []);
    const { scope } = ctx.place;
    const userId = interaction.user.id;
    if (choice.kind === 'artist') {
      const artist = track.artists[choice.index];
      if (artist === undefined) throw new Error(`Malformed select value ${interaction.values[0]}`);
      const change = ctx.app.blocks.blockArtist(scope, userId, artist, track);
      await interaction.reply({ ...successMessage(blockAck({ kind: 'artist', name: safe(artist, 100) }, change, scopeWords(ctx.place))), flags: MessageFlags.Ephemeral });
      return;
    }
    const change = ctx.app.blocks.blockSong(scope, userId, track);
    await interaction.reply({ ...successMessage(blockAck({ kind: 'song', name: safe(track.name, 100) }, change, scopeWords(ctx.place))), flags: MessageFlags.Ephemeral });
  },
};

/** "Undo a not for me" under /taste show: only the member whose list it is can use it. */
export const unblockSelect: SelectHandler = {
  prefix: UNBLOCK,
  async handle(interaction, ctx) {
    const owner = parseUnblock(interaction.customId);
    if (owner !== interaction.user.id) throw new InvalidOptionError('select', 'That list belongs to someone else; use `/taste show` for your own.');
    const undone = interaction.values.flatMap((value) => {
      const block = /^\d+$/.test(value) ? ctx.app.blocks.unblock(ctx.place.scope, owner, Number(value)) : null;
      return block ? [block] : [];
    });
    const summary = showTaste(ctx, owner);
    await interaction.update({ ...summary, embeds: [...(summary.embeds ?? []), ...successMessage(unblockAck(undone.map((b) => safe(b.label, 100)))).embeds!] });
  },
};

/** "Forget my votes here" under /taste show: only the member it belongs to can press it. */
export const tasteResetButton: ButtonHandler = {
  prefix: TASTE_RESET,
  async handle(interaction, ctx) {
    const owner = parseTasteReset(interaction.customId);
    if (owner !== interaction.user.id) throw new InvalidOptionError('button', 'That button belongs to someone else; use `/taste reset` for your own votes.');
    await interaction.update({ ...forget(ctx, interaction.user.id), components: [] });
  },
};
