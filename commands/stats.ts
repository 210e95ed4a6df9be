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
    ctx.cooldowns.take(interaction.user.id, 'stats');
    const seeds = app.seeds.list(interaction.guildId);
    const jobs = new JobStore(app.database).recent(6).map((run) => ({
      name: run.job,
      status: run.status,
      finishedAt: run.finishedAt,
      // Jobs serve every server: a failure's text may name another server's playlists or channels,
      // so it stays in the operator's log and `cli jobs`. A skip's reason is our own fixed words.
      detail: run.status === 'failed' ? "the reason is in the operator's job log" : (run.error ?? ''),
    }));
    await interaction.reply(
      statsMessage({ stats: catalogStats(app), starter: app.starter.progress(), seeds, daily: app.daily.get(interaction.guildId), recentJobs: jobs, favourites: guildFavourites(app, interaction.guildId) }),
    );
  },
});
