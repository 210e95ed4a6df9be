import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { truncate } from '../../src/truncate.js';

/** A rendered picture to attach; an embed shows it with `image.url = attachment://<name>`. */
export interface Picture {
  name: string;
  png: Buffer;
  /** Alt text: what the picture shows, in words. */
  alt: string;
}

/** What an embed builder returns: plain data that discord.js sends as it is, and tests read as it is. */
export interface MessageData {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: { attachment: Buffer; name: string; description: string }[];
  /** On an edit: the attachments to keep (none: a new picture replaces the old one). */
  attachments?: [];
  /** Every message the bot sends pings nobody. */
  allowedMentions: { parse: [] };
}

/** Attaches a picture to a message and shows it as the first embed's image. */
export function withPicture(message: MessageData, picture: Picture | null): MessageData {
  if (!picture) return message;
  const [first, ...rest] = message.embeds ?? [];
  return {
    ...message,
    embeds: first ? [{ ...first, image: { url: `attachment://${picture.name}` } }, ...rest] : rest,
    files: [{ attachment: picture.png, name: picture.name, description: truncate(picture.alt, 1024) }],
  };
}

export const NO_MENTIONS: { parse: [] } = { parse: [] };
