import { eq } from 'drizzle-orm';
import { dailySettings } from '../../db/schema.js';
import type { Database } from '../catalog/database.js';
import { localDate, localMinutes } from './schedule.js';

export type DailySetting = typeof dailySettings.$inferSelect;

/** After this many failed posts in a row, a guild's daily post is switched off. */
export const MAX_DAILY_FAILURES = 3;

export class DailySettingsStore {
  constructor(private readonly database: Database) {}

  get(guildId: string): DailySetting | null {
    return this.database.db.select().from(dailySettings).where(eq(dailySettings.guildId, guildId)).get() ?? null;
  }

  set(guildId: string, values: { channelId: string; time: string; timeZone: string; setBy?: string | null }, now = Date.now()): DailySetting {
    // Set after today's time, the first post is tomorrow's (today's is not "missed").
    const [hour, minute] = values.time.split(':').map(Number) as [number, number];
    const today = new Date(now);
    const startsOn = localMinutes(today, values.timeZone) > hour * 60 + minute ? localDate(new Date(now + 86_400_000), values.timeZone) : localDate(today, values.timeZone);
    const row = { ...values, setBy: values.setBy ?? null, enabled: true, startsOn, failures: 0, lastError: null, updatedAt: now };
    return this.database.db
      .insert(dailySettings)
      .values({ guildId, ...row })
      .onConflictDoUpdate({ target: dailySettings.guildId, set: row })
      .returning()
      .get();
  }

  /** Switches a guild's post off; returns whether it was on. */
  off(guildId: string, reason: string | null = null): boolean {
    return (
      this.database.db
        .update(dailySettings)
        .set({ enabled: false, lastError: reason, updatedAt: Date.now() })
        .where(eq(dailySettings.guildId, guildId))
        .run().changes > 0
    );
  }

  enabled(): DailySetting[] {
    return this.database.db.select().from(dailySettings).where(eq(dailySettings.enabled, true)).all();
  }

  /** Counts a failed post; the third in a row switches the post off. Returns whether it is still on. */
  recordFailure(guildId: string, error: string): boolean {
    const current = this.get(guildId);
    if (!current) return false;
    const failures = current.failures + 1;
    const enabled = failures < MAX_DAILY_FAILURES;
    this.database.db
      .update(dailySettings)
      .set({ failures, enabled, lastError: error, updatedAt: Date.now() })
      .where(eq(dailySettings.guildId, guildId))
      .run();
    return enabled;
  }

  recordSuccess(guildId: string): void {
    this.database.db.update(dailySettings).set({ failures: 0, lastError: null }).where(eq(dailySettings.guildId, guildId)).run();
  }

  /** Returns how many settings rows went (0 or 1). */
  remove(guildId: string): number {
    return this.database.db.delete(dailySettings).where(eq(dailySettings.guildId, guildId)).run().changes;
  }
}
