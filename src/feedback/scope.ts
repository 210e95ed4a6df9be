// Where a member's votes, history and "not for me" live. In a server the bot is in, that server;
// anywhere else (a DM, a group DM, a server that never added the bot but whose member installed
// the app), the member personally. Personal votes are never pooled across members.

/** The personal scope's key; no guild ID (a snowflake) can collide with it. */
export const PERSONAL_SCOPE = '@me';

/** The scope for a request: the guild the bot is in, else the member's personal one. */
export function scopeOf(guildId: string | null | undefined): string {
  return guildId ?? PERSONAL_SCOPE;
}

export function isPersonal(scope: string): boolean {
  return scope === PERSONAL_SCOPE;
}
