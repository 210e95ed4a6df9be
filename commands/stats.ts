import { InteractionContextType } from 'discord.js';
import { defineCommand } from '../bot/command.js';
import { statsMessage } from '../bot/embeds/stats.js';
import { catalogStats } from '../src/stats.js';

export const StatsCommand = {
  name: 'stats',
  description: "The catalog's size, its clusters, this server's seeds and the last background jobs",
  contexts: [InteractionContextType.Guild],
} as const;

export default defineCommand({
  data: StatsCommand,
  async execute(interaction, _args, ctx) {
    const { app } = ctx;
    const seeds = app.seeds.list(interaction.guildId);
    const seedIds = new Set(seeds.map((s) => s.id));
    const recentJobs = app.crawls
      .lastRuns(20)
      .filter((run) => seedIds.has(run.seedId))
      .map((run) => ({
        name: `crawl of ${seeds.find((s) => s.id === run.seedId)?.name ?? 'a seed'}`,
        status: run.status,
        finishedAt: run.finishedAt,
        detail: run.error ?? `${run.counts.added} added`,
      }));
    await interaction.reply(statsMessage({ stats: catalogStats(app), seeds, daily: app.daily.get(interaction.guildId), recentJobs }));
  },
});
