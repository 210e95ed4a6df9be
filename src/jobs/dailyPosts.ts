import type { App } from '../app.js';
import { MAX_DAILY_FAILURES } from '../daily/dailySettings.js';
import { pickDaily, type DailyPick } from '../daily/dailyPick.js';
import { localDate, localMinutes } from '../daily/schedule.js';

/** Sends a daily post somewhere (Discord, in the bot). Throws when it cannot. */
export interface DailyPublisher {
  publish(guildId: string, channelId: string, pick: DailyPick): Promise<{ messageId: string }>;
  /**
   * Sharded: whether this process posts for a guild (its shard is one of ours); every other
   * guild is another process's. Absent: every guild.
   */
  serves?(guildId: string): boolean;
  /** Which guilds it serves, in words ("shards 0-1 of 4"): names the job's lock, so processes with other shards run theirs alongside. */
  scope?: string;
}

export interface DailyCounts extends Record<string, unknown> {
  due: number;
  sent: number;
  failed: number;
  switchedOff: number;
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Posts today's song of the cluster in every guild whose local time has reached its /daily time
 * and that has not had today's post. Run every minute, and once at start-up: a bot that was down
 * at the scheduled time posts once when it comes back, the same day, never for past days.
 * The (guild, local date) row is written before the message is sent, so two processes or a
 * restart never post twice; a failure counts towards switching the post off. Sharded, each
 * process posts for the guilds on its own shards.
 */
export async function postDueDailies(app: App, publisher: DailyPublisher, now: Date): Promise<DailyCounts> {
  const counts: DailyCounts = { due: 0, sent: 0, failed: 0, switchedOff: 0 };
  const log = app.logger.child({ job: 'daily-posts' });
  const claim = app.database.sqlite.prepare(
    "INSERT INTO daily_posts (guild_id, date, status, created_at) VALUES (?, ?, 'sending', ?) ON CONFLICT DO NOTHING",
  );
  const settle = app.database.sqlite.prepare(
    'UPDATE daily_posts SET status = ?, cluster = ?, track_id = ?, message_id = ?, error = ? WHERE guild_id = ? AND date = ?',
  );
  for (const setting of app.daily.enabled()) {
    if (publisher.serves && !publisher.serves(setting.guildId)) continue;
    const date = localDate(now, setting.timeZone);
    if (date < setting.startsOn || localMinutes(now, setting.timeZone) < minutesOf(setting.time)) continue;
    if (claim.run(setting.guildId, date, now.getTime()).changes === 0) continue; // today's is done (or being done)
    counts.due++;
    const pick = pickDaily(app, setting.guildId);
    if (!pick) {
      settle.run('failed', null, null, null, 'nothing to post: the catalog has no clusters yet', setting.guildId, date);
      continue;
    }
    try {
      const { messageId } = await publisher.publish(setting.guildId, setting.channelId, pick);
      settle.run('sent', pick.cluster.id, pick.track.id, messageId, null, setting.guildId, date);
      app.daily.recordSuccess(setting.guildId);
      counts.sent++;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      settle.run('failed', pick.cluster.id, pick.track.id, null, reason, setting.guildId, date);
      counts.failed++;
      const stillOn = app.daily.recordFailure(setting.guildId, reason);
      if (!stillOn) counts.switchedOff++;
      log.warn(
        { guildId: setting.guildId, channelId: setting.channelId, reason, switchedOff: !stillOn },
        stillOn ? 'daily post failed; trying again tomorrow' : `daily post failed ${MAX_DAILY_FAILURES} times in a row; switched off`,
      );
    }
  }
  return counts;
}
