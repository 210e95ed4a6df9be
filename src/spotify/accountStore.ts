import { eq } from 'drizzle-orm';
import { spotifyAccounts } from '../../db/schema.js';
import type { Database } from '../catalog/database.js';

export interface SpotifyAccount {
  userId: string;
  displayName: string | null;
  refreshToken: string;
  scope: string | null;
}

const ONLY = 1;

/** The one Spotify account the operator authorised; its refresh token lets crawls read its playlists. */
export class SpotifyAccountStore {
  constructor(private readonly database: Database) {}

  get(): SpotifyAccount | null {
    const row = this.database.db.select().from(spotifyAccounts).where(eq(spotifyAccounts.id, ONLY)).get();
    return row ? { userId: row.userId, displayName: row.displayName, refreshToken: row.refreshToken, scope: row.scope } : null;
  }

  save(account: SpotifyAccount): void {
    const values = { ...account, id: ONLY, updatedAt: Date.now() };
    this.database.db.insert(spotifyAccounts).values(values).onConflictDoUpdate({ target: spotifyAccounts.id, set: values }).run();
  }

  clear(): void {
    this.database.db.delete(spotifyAccounts).run();
  }
}
