import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand, type BotContext } from '../bot/command.js';
import { plain, safe } from '../bot/embeds/format.js';
import { successMessage } from '../bot/embeds/notices.js';
import { seedListMessage, seedProgressMessage, seedQueuedMessage, seedSummaryMessage } from '../bot/embeds/seeds.js';
import { MAX_PLAYLIST_LINK, requireMaxLength } from '../bot/limits.js';
import { requireManageGuild } from '../bot/permissions.js';
import { InvalidOptionError, PlaylistNotReadableError, SpotifyNotConfiguredError } from '../src/errors.js';
import { requireSpotifyRef } from '../src/spotify/links.js';
import { SERVER_ONLY } from '../bot/installs.js';

export const SeedCommand = {
  name: 'seed',
  description: "Manage the Spotify playlists this server's catalog grows from",
  ...SERVER_ONLY,
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add a Spotify playlist and crawl it now',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'playlist', description: 'A Spotify playlist link', required: true, max_length: MAX_PLAYLIST_LINK },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: 'expand_artists',
          description: "Also add the albums and singles of every artist in the playlist (slower, many more songs)",
          required: false,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: "List this server's seed playlists" },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove a seed playlist (its songs stay in the catalog)',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'playlist', description: 'The playlist to remove', required: true, autocomplete: true, max_length: MAX_PLAYLIST_LINK },
      ],
    },
  ],
} as const;

// Progress edits are throttled: Discord rate-limits webhook edits, and people read slower than crawls.
const PROGRESS_EVERY_MS = 2_000;

async function add(interaction: ChatInputCommandInteraction<'cached'>, playlist: string, expandArtists: boolean, ctx: BotContext) {
  const ref = requireSpotifyRef(requireMaxLength(playlist, MAX_PLAYLIST_LINK, 'playlist link'), 'playlist');
  const spotify = ctx.app.spotify;
  if (!spotify) throw new SpotifyNotConfiguredError('crawl playlists');
  const known = ctx.app.seeds.find(interaction.guildId, ref.id);
  // Checking for room, storing the seed and queueing its crawl happen with no await in between,
  // so concurrent adds cannot all pass the check, and a refused add leaves no seed behind.
  spotify.crawls.requireRoom(interaction.guildId, known?.id);
  const seed = ctx.app.seeds.add(interaction.guildId, ref.id, { expandArtists, addedBy: interaction.user.id });
  let lastEdit = 0;
  const edits: Promise<unknown>[] = [];
  const show = (message: Parameters<typeof interaction.editReply>[0]) => {
    // A failed progress edit (e.g. an expired token on a very long crawl) must not stop the crawl.
    edits.push(interaction.editReply(message).catch((error: unknown) => ctx.logger.debug({ err: error }, 'progress edit failed')));
  };
  const crawl = spotify.crawls.enqueue(seed.id, interaction.guildId, {
    onProgress: (progress) => {
      if (!interaction.deferred || Date.now() - lastEdit < PROGRESS_EVERY_MS) return;
      lastEdit = Date.now();
      show(seedProgressMessage(ref.id, progress));
    },
  });
  // The crawl may fail while the reply is still being deferred; it is awaited (and its error
  // answered) below, so it must not count as an unhandled rejection meanwhile.
  crawl.catch(() => undefined);
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    show(seedQueuedMessage(ref.id, spotify.crawls.length - 1));
    const summary = await crawl;
    await Promise.all(edits);
    await interaction.editReply(seedSummaryMessage(ref.id, summary));
  } catch (error) {
    await Promise.all(edits);
    await crawl.catch(() => undefined);
    // A playlist the bot cannot read is not kept as a seed.
    if (error instanceof PlaylistNotReadableError && !known) ctx.app.seeds.remove(interaction.guildId, ref.id);
    throw error;
  }
}

export default defineCommand({
  data: SeedCommand,
  async execute(interaction, args, ctx) {
    requireManageGuild(interaction.memberPermissions);
    if (args.add) return add(interaction, args.add.playlist, args.add.expand_artists ?? false, ctx);
    if (args.list) {
      await interaction.reply({ ...seedListMessage(ctx.app.seeds.list(interaction.guildId)), flags: MessageFlags.Ephemeral });
      return;
    }
    if (args.remove) {
      const id = requireSpotifyRef(requireMaxLength(args.remove.playlist, MAX_PLAYLIST_LINK, 'playlist link'), 'playlist').id;
      const seed = ctx.app.seeds.find(interaction.guildId, id);
      if (!seed || !ctx.app.seeds.remove(interaction.guildId, id)) {
        throw new InvalidOptionError('playlist', 'That playlist is not one of this server\'s seeds. `/seed list` shows them.');
      }
      await interaction.reply({
        ...successMessage(`Removed **${safe(seed.name ?? id, 100)}** from this server's seeds. Its songs stay in the catalog.`),
        flags: MessageFlags.Ephemeral,
      });
    }
  },
  autocomplete(interaction, ctx) {
    // Seeds belong to one guild: only this guild's are offered (and only moderators see them).
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return Promise.resolve([]);
    const typed = interaction.options.getFocused().toLowerCase();
    const choices = ctx.app.seeds
      .list(interaction.guildId)
      .filter((s) => (s.name ?? s.playlistId).toLowerCase().includes(typed))
      .slice(0, 25)
      .map((s) => ({ name: plain(s.name ?? s.playlistId, 100), value: s.playlistId }));
    return Promise.resolve(choices);
  },
});
