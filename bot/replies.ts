import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { MessageData } from './embeds/types.js';

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
