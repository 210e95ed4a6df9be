import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { App } from '../src/app.js';
import type { Logger } from '../src/logger.js';
import type { ArgumentsOf, CommandData } from './args.js';
import type { Cooldowns } from './cooldown.js';
import type { Pictures } from './pictures.js';

/** What every handler gets: the core services and its own child logger. */
export interface BotContext {
  app: App;
  logger: Logger;
  cooldowns: Cooldowns;
  pictures: Pictures;
}

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** A slash command's registration payload, as plain read-only data. */
export type CommandPayload = DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>;

export interface SlashCommand<C extends CommandData = CommandData> {
  /** The registration payload, as sent to Discord. */
  data: C & CommandPayload;
  execute(interaction: ChatInputCommandInteraction<'cached'>, args: ArgumentsOf<C>, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<ApplicationCommandOptionChoiceData[]>;
}

/** Buttons are routed by the prefix of their custom_id. */
export interface ButtonHandler {
  prefix: string;
  handle(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void>;
}

/**
 * Checks a command's handlers against its own payload, then erases the payload type for the
 * registry (the handler runs with the arguments read from that same payload).
 */
export function defineCommand<C extends CommandData>(command: SlashCommand<C>): SlashCommand {
  return command;
}
