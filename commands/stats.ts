import { defineCommand } from '../bot/command.js';
import { statsMessage } from '../bot/embeds/stats.js';
import { guildFavourites } from '../src/feedback/taste.js';
import { JobStore } from '../src/jobs/jobStore.js';
import { catalogStats } from '../src/stats.js';
import { SERVER_ONLY } from '../bot/installs.js';

export const StatsCommand = {
  name: 'stats',
  description: "The catalog's size, its clusters, this server's seeds and the last background jobs",
  ...SERVER_ONLY,
} as const;

export default defineCommand({
  data: StatsCommand,
  async execute(interaction, _args, ctx) {
    const { app } = ctx;
    const seeds = app.seeds.list(interaction.guildId);
    const jobs = new JobStore(app.database).recent(6).map((run) => ({
      name: run.job,
      status: run.status,
      finishedAt: run.finishedAt,
      detail: run.error ?? '',
    }));
    await interaction.reply(
      statsMessage({ stats: catalogStats(app), starter: app.starter.progress(), seeds, daily: app.daily.get(interaction.guildId), recentJobs: jobs, favourites: guildFavourites(app, interaction.guildId) }),
    );
  },
});
