import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

/** What an embed builder returns: plain data that discord.js sends as it is, and tests read as it is. */
export interface MessageData {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Every message the bot sends pings nobody. */
  allowedMentions: { parse: [] };
}

export const NO_MENTIONS: { parse: [] } = { parse: [] };
