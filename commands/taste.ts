import { ApplicationCommandOptionType, InteractionContextType, MessageFlags } from 'discord.js';
import { defineCommand, type ButtonHandler } from '../bot/command.js';
import { FEEDBACK, parseFeedback, parseTasteReset, TASTE_RESET } from '../bot/customIds.js';
import { safe } from '../bot/embeds/format.js';
import { successMessage } from '../bot/embeds/notices.js';
import { tasteMessage } from '../bot/embeds/taste.js';
import { voteAck } from '../bot/embeds/votes.js';
import { tasteSummary } from '../src/feedback/taste.js';
import { InvalidOptionError, UnknownSongError } from '../src/errors.js';

export const TasteCommand = {
  name: 'taste',
  description: 'What I have learnt from your 👍 and 👎 in this server',
  contexts: [InteractionContextType.Guild],
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'The clusters and songs you like and skip' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'reset', description: 'Forget all your votes in this server' },
  ],
} as const;

function forget(guildId: string, userId: string, app: Parameters<typeof tasteSummary>[0]) {
  const removed = app.feedback.resetMember(guildId, userId);
  return successMessage(removed > 0 ? `Forgotten: your ${removed} vote${removed === 1 ? '' : 's'} in this server.` : 'There was nothing to forget.');
}

export default defineCommand({
  data: TasteCommand,
  async execute(interaction, args, ctx) {
    const message = args.reset
      ? forget(interaction.guildId, interaction.user.id, ctx.app)
      : tasteMessage(tasteSummary(ctx.app, interaction.guildId, interaction.user.id), interaction.user.id);
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
    const change = ctx.app.feedback.vote(interaction.guildId, interaction.user.id, track.id, vote.vote);
    await interaction.reply({ ...successMessage(voteAck(safe(track.name, 150), vote.vote, change)), flags: MessageFlags.Ephemeral });
  },
};

/** "Forget my votes here" under /taste show: only the member it belongs to can press it. */
export const tasteResetButton: ButtonHandler = {
  prefix: TASTE_RESET,
  async handle(interaction, ctx) {
    const owner = parseTasteReset(interaction.customId);
    if (owner !== interaction.user.id) throw new InvalidOptionError('button', 'That button belongs to someone else; use `/taste reset` for your own votes.');
    await interaction.update({ ...forget(interaction.guildId, interaction.user.id, ctx.app), components: [] });
  },
};
