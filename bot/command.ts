import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { App } from '../src/app.js';
import type { Logger } from '../src/logger.js';
import type { ArgumentsOf, CommandData } from './args.js';
import type { Cooldowns } from './cooldown.js';
import type { Pictures } from './pictures.js';
import type { Place } from './place.js';
import type { WorkQueue } from './workQueue.js';

/** What every handler gets: the core services and its own child logger. */
export interface BotContext {
  app: App;
  logger: Logger;
  cooldowns: Cooldowns;
  pictures: Pictures;
  /** Where CPU-heavy answers are computed, one per event-loop turn (see workQueue.ts). */
  work: WorkQueue;
}

/** A handler's context: the services, and where the interaction happens (see place.ts). */
export interface HandlerContext extends BotContext {
  place: Place;
}

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** A slash command's registration payload, as plain read-only data. */
export type CommandPayload = DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>;

/** A command for servers the bot is in (moderator and server commands): elsewhere it is refused once, by the router. */
export interface GuildCommand<C extends CommandData = CommandData> {
  /** The registration payload, as sent to Discord. */
  data: C & CommandPayload;
  anywhere?: false;
  execute(interaction: ChatInputCommandInteraction<'cached'>, args: ArgumentsOf<C>, ctx: HandlerContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: HandlerContext): Promise<ApplicationCommandOptionChoiceData[]>;
}

/**
 * A command that also works where the bot is not in a server (user installs: DMs, group DMs,
 * servers without the bot): its handlers get no guild, and read `ctx.place` instead.
 */
export interface AnywhereCommand<C extends CommandData = CommandData> {
  data: C & CommandPayload;
  anywhere: true;
  execute(interaction: ChatInputCommandInteraction, args: ArgumentsOf<C>, ctx: HandlerContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<ApplicationCommandOptionChoiceData[]>;
}

export type SlashCommand<C extends CommandData = CommandData> = GuildCommand<C> | AnywhereCommand<C>;

/** Buttons are routed by the prefix of their custom_id; they work wherever their message is. */
export interface ButtonHandler {
  prefix: string;
  handle(interaction: ButtonInteraction, ctx: HandlerContext): Promise<void>;
}

/** String select menus, routed like buttons. */
export interface SelectHandler {
  prefix: string;
  handle(interaction: StringSelectMenuInteraction, ctx: HandlerContext): Promise<void>;
}

/**
 * Checks a command's handlers against its own payload, then erases the payload type for the
 * registry (the handler runs with the arguments read from that same payload).
 */
export function defineCommand<C extends CommandData>(command: GuildCommand<C>): SlashCommand {
  return command;
}

/** As defineCommand, for a command that works anywhere (see AnywhereCommand). */
export function defineAnywhereCommand<C extends CommandData>(command: Omit<AnywhereCommand<C>, 'anywhere'>): SlashCommand {
  return { ...command, anywhere: true } as SlashCommand;
}
