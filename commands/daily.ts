import { ApplicationCommandOptionType, ChannelType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { defineCommand } from '../bot/command.js';
import { successMessage } from '../bot/embeds/notices.js';
import { requireCanPost, requireManageGuild } from '../bot/permissions.js';
import { matchTimeZones, nextOccurrence, parseTimeOfDay, parseTimeZone } from '../src/daily/schedule.js';
import { SERVER_ONLY } from '../bot/installs.js';

export const DailyCommand = {
  name: 'daily',
  description: 'A daily "song of the cluster" post in a channel of your choice',
  ...SERVER_ONLY,
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Post the song of the cluster every day in a channel',
      options: [
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          description: 'Where to post',
          required: true,
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
        },
        { type: ApplicationCommandOptionType.String, name: 'time', description: 'Time of day, HH:MM on a 24-hour clock (e.g. 09:30)', required: true, max_length: 5 },
        {
          type: ApplicationCommandOptionType.String,
          name: 'timezone',
          description: 'Your time zone, e.g. Europe/Berlin or America/New_York',
          required: true,
          autocomplete: true,
          max_length: 64,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Stop the daily post' },
  ],
} as const;

export default defineCommand({
  data: DailyCommand,
  async execute(interaction, args, ctx) {
    requireManageGuild(interaction.memberPermissions);
    if (args.set) {
      const time = parseTimeOfDay(args.set.time);
      const timeZone = parseTimeZone(args.set.timezone);
      requireCanPost(args.set.channel);
      ctx.app.daily.set(interaction.guildId, { channelId: args.set.channel.id, time, timeZone, setBy: interaction.user.id });
      const next = Math.floor(nextOccurrence(time, timeZone, new Date()).getTime() / 1000);
      await interaction.reply({
        ...successMessage(
          `The song of the cluster will be posted in <#${args.set.channel.id}> every day at **${time}** (${timeZone}). The next one: <t:${next}:F> (<t:${next}:R>).`,
        ),
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const wasOn = ctx.app.daily.off(interaction.guildId, 'switched off with /daily off');
    await interaction.reply({
      ...successMessage(wasOn ? 'The daily post is off. `/daily set` turns it back on.' : 'There was no daily post to switch off.'),
      flags: MessageFlags.Ephemeral,
    });
  },
  async autocomplete(interaction) {
    return Promise.resolve(matchTimeZones(interaction.options.getFocused()).map((zone) => ({ name: zone, value: zone })));
  },
});
