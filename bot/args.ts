import { ApplicationCommandOptionType, type CacheType, type CommandInteractionOption, type GuildBasedChannel } from 'discord.js';

// Command payloads are plain `as const` data; the arguments a handler receives are typed from
// them, so a renamed option is a type error in the handler rather than a runtime surprise.

interface OptionData {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly required?: boolean;
  readonly options?: readonly OptionData[];
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
}

export interface CommandData {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionData[];
}

type ValueOf<O extends OptionData> = O['type'] extends ApplicationCommandOptionType.String
  ? O['choices'] extends readonly { value: infer V }[]
    ? V
    : string
  : O['type'] extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : O['type'] extends ApplicationCommandOptionType.Boolean
      ? boolean
      : O['type'] extends ApplicationCommandOptionType.Channel
        ? GuildBasedChannel
        : O['type'] extends ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup
          ? ArgsOfOptions<NonNullable<O['options']>>
          : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

type OptionToField<O> = O extends OptionData
  ? O['type'] extends ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup
    ? { [K in O['name']]?: ValueOf<O> }
    : O['required'] extends true
      ? { [K in O['name']]: ValueOf<O> }
      : { [K in O['name']]?: ValueOf<O> | undefined }
  : never;

type ArgsOfOptions<Os extends readonly OptionData[]> = Os extends readonly [] ? Record<string, never> : UnionToIntersection<OptionToField<Os[number]>>;

/** The typed arguments of a command payload: `{ song: string }`, `{ add?: { playlist: string; ... } }`. */
export type ArgumentsOf<C extends CommandData> = C['options'] extends readonly OptionData[] ? ArgsOfOptions<C['options']> : Record<string, never>;

/** Turns discord.js's option tree into the shape ArgumentsOf describes. */
export function readArguments<C extends CommandData>(options: readonly CommandInteractionOption<CacheType>[]): ArgumentsOf<C> {
  const out: Record<string, unknown> = {};
  for (const option of options) {
    switch (option.type) {
      case ApplicationCommandOptionType.Subcommand:
      case ApplicationCommandOptionType.SubcommandGroup:
        out[option.name] = readArguments(option.options ?? []);
        break;
      case ApplicationCommandOptionType.Channel:
        out[option.name] = option.channel;
        break;
      case ApplicationCommandOptionType.String:
        // Whatever a client sends, handlers get well-formed text.
        out[option.name] = typeof option.value === 'string' ? option.value.toWellFormed() : option.value;
        break;
      default:
        out[option.name] = option.value;
    }
  }
  return out as ArgumentsOf<C>;
}
