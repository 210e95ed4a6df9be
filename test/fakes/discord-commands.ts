import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommand,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { snowflake } from './discord-ids.js';
import { validateCommands } from './discord-validate.js';

/** Application commands as registered through PUT /applications/{id}[/guilds/{id}]/commands. */
export class CommandRegistry {
  private readonly global = new Map<string, APIApplicationCommand>();
  private readonly perGuild = new Map<string, Map<string, APIApplicationCommand>>();

  constructor(private readonly applicationId: string) {}

  list(guildId?: string): APIApplicationCommand[] {
    return [...this.scope(guildId).values()];
  }

  /** Bulk overwrite: commands keep their id when re-registered under the same type and name, as on Discord. */
  overwrite(body: RESTPutAPIApplicationCommandsJSONBody, guildId?: string): APIApplicationCommand[] {
    validateCommands(body);
    const scope = this.scope(guildId);
    const previous = new Map([...scope.values()].map((c) => [`${c.type}:${c.name}`, c]));
    scope.clear();
    for (const input of body) {
      const type = input.type ?? ApplicationCommandType.ChatInput;
      const kept = previous.get(`${type}:${input.name}`);
      const command: APIApplicationCommand = {
        id: kept?.id ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        type,
        name: input.name,
        name_localizations: input.name_localizations ?? null,
        description: 'description' in input ? (input.description ?? '') : '',
        description_localizations: input.description_localizations ?? null,
        default_member_permissions: input.default_member_permissions ?? null,
        nsfw: input.nsfw ?? false,
        // Guild commands exist in their guild only: installation and context settings are global commands' (Discord leaves them out of guild commands).
        integration_types: guildId === undefined ? (input.integration_types ?? [ApplicationIntegrationType.GuildInstall]) : [ApplicationIntegrationType.GuildInstall],
        contexts: guildId === undefined ? (input.contexts ?? null) : null,
      };
      if ('options' in input && input.options) command.options = input.options;
      if (guildId !== undefined) command.guild_id = guildId;
      else command.dm_permission = !(input.contexts && !input.contexts.includes(InteractionContextType.BotDM));
      scope.set(command.id, command);
    }
    return this.list(guildId);
  }

  /** A global command by name (what DMs and servers without the bot can see). */
  findGlobal(name: string, type = ApplicationCommandType.ChatInput): APIApplicationCommand | undefined {
    return this.list().find((c) => c.name === name && c.type === type);
  }

  /** The command a guild member would invoke: guild commands shadow global ones of the same name. */
  find(name: string, guildId: string, type = ApplicationCommandType.ChatInput): APIApplicationCommand | undefined {
    const match = (c: APIApplicationCommand): boolean => c.name === name && c.type === type;
    return this.list(guildId).find(match) ?? this.list().find(match);
  }

  private scope(guildId?: string): Map<string, APIApplicationCommand> {
    if (guildId === undefined) return this.global;
    let scope = this.perGuild.get(guildId);
    if (!scope) {
      scope = new Map();
      this.perGuild.set(guildId, scope);
    }
    return scope;
  }
}
