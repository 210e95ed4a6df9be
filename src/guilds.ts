import type { App } from './app.js';

/**
 * Everything a guild gave the bot, removed when the bot leaves it: its members' votes, blocks and
 * recommendation history, its daily post and seeds. Tracks the seeds brought stay in the catalog.
 */
export function forgetGuild(app: App, guildId: string): Record<string, number> {
  const sqlite = app.database.sqlite;
  return app.catalog.transaction(() => ({
    feedback: app.feedback.forgetGuild(guildId),
    blocks: app.blocks.forgetScope(guildId),
    recommendations: sqlite.prepare('DELETE FROM recommendations WHERE guild_id = ?').run(guildId).changes,
    dailyPosts: sqlite.prepare('DELETE FROM daily_posts WHERE guild_id = ?').run(guildId).changes,
    dailySettings: app.daily.remove(guildId),
    seeds: sqlite.prepare('DELETE FROM seeds WHERE guild_id = ?').run(guildId).changes,
  }));
}
