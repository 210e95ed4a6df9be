import { OverwriteType, PermissionFlagsBits, type APIOverwrite, type APIRole } from 'discord-api-types/v10';

export type PermissionName = keyof typeof PermissionFlagsBits;
/** Either a raw bitfield or flag names such as `['ManageGuild']`. */
export type PermissionSpec = bigint | readonly PermissionName[];

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function toPermissionBits(spec: PermissionSpec | undefined): bigint {
  if (spec === undefined) return 0n;
  if (typeof spec === 'bigint') return spec;
  return spec.reduce((all, name) => all | PermissionFlagsBits[name], 0n);
}

export interface PermissionGuild {
  id: string;
  owner_id: string;
  roles: readonly APIRole[];
}

/** Guild-level permissions, as in Discord's documented algorithm (owner and Administrator see everything). */
export function basePermissions(guild: PermissionGuild, userId: string, roleIds: readonly string[]): bigint {
  if (userId === guild.owner_id) return ALL_PERMISSIONS;
  const everyone = guild.roles.find((role) => role.id === guild.id);
  let bits = BigInt(everyone?.permissions ?? '0');
  for (const role of guild.roles) {
    if (roleIds.includes(role.id)) bits |= BigInt(role.permissions);
  }
  return (bits & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : bits;
}

/**
 * Applies @everyone, role and member overwrites in that order, like Discord does.
 * Implicit denials (no View Channel => nothing) are left to the routes, as discord.js's permissionsFor does.
 */
export function channelPermissions(
  guild: PermissionGuild,
  overwrites: readonly APIOverwrite[],
  userId: string,
  roleIds: readonly string[],
): bigint {
  let bits = basePermissions(guild, userId, roleIds);
  if (bits === ALL_PERMISSIONS) return bits;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) bits = (bits & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  bits = (bits & ~deny) | allow;
  const member = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (member) bits = (bits & ~BigInt(member.deny)) | BigInt(member.allow);
  return bits;
}
