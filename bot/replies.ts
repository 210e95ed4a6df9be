import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { MessageData } from './embeds/types.js';
import type { Place } from './place.js';

/**
 * Sends a private (ephemeral) answer whatever state the interaction is in. A public deferral
 * ("Cluster DJ is thinking…") is deleted first, so a mistake is shown only to who made it.
 */
export async function replyPrivately(interaction: RepliableInteraction, message: MessageData): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
    return;
  }
  // Our answer is already private (a deferral or progress edits): the error replaces it.
  if (interaction.ephemeral) {
    await interaction.editReply(message);
    return;
  }
  if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
  await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
}

/** Sends a public answer, editing the deferral if there is one. */
export async function replyPublicly(interaction: RepliableInteraction, message: MessageData): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.editReply(message);
  else await interaction.reply(message);
}

/** The answer to a command: public where the member may post it, else shown to them only (see place.ts). */
export async function answer(interaction: RepliableInteraction, message: MessageData, place: Pick<Place, 'canReplyPublicly'>): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.editReply(message);
  else await interaction.reply(place.canReplyPublicly ? message : { ...message, flags: MessageFlags.Ephemeral });
}

/** Takes Discord's 15-minute window, as privately as the answer will be. */
export async function deferAnswer(interaction: RepliableInteraction, place: Pick<Place, 'canReplyPublicly'>): Promise<void> {
  await interaction.deferReply(place.canReplyPublicly ? {} : { flags: MessageFlags.Ephemeral });
}
