import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIApplicationCommandOptionChoice,
  type APIEmbed,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { invalidFormBody, type FieldProblem } from './discord-errors.js';
import type { MessageBodyView } from './discord-messages.js';

// Limits below are Discord's documented ones; breaking them in production yields 50035 Invalid Form Body.
const MAX_CONTENT = 2000;
const MAX_EMBEDS = 10;
const MAX_EMBED_TOTAL = 6000;
const MAX_ACTION_ROWS = 5;
const MAX_ROW_BUTTONS = 5;
const MAX_CHOICES = 25;
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Path = (string | number)[];

class Problems {
  readonly list: FieldProblem[] = [];

  maxLength(path: Path, value: string | readonly unknown[] | null | undefined, max: number): void {
    if (value != null && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  between(path: Path, value: string | null | undefined, min: number, max: number): void {
    if (value == null || value.length < min || value.length > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  required(path: Path, value: unknown): boolean {
    if (value === undefined || value === null || value === '') {
      this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return false;
    }
    return true;
  }

  add(path: Path, code: string, message: string): void {
    this.list.push({ path, code, message });
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw invalidFormBody(this.list);
  }
}

export function validateMessageBody(body: MessageBodyView): void {
  const problems = new Problems();
  problems.maxLength(['content'], body.content, MAX_CONTENT);
  if (body.embeds) validateEmbeds(problems, body.embeds);
  if (body.components) {
    if (((body.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0) {
      if (body.content || (body.embeds && body.embeds.length > 0)) {
        problems.add(['content'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The content and embeds fields cannot be used when using components v2');
      }
    } else {
      validateActionRows(problems, body.components);
    }
  }
  problems.throwIfAny();
}

function validateEmbeds(problems: Problems, embeds: readonly APIEmbed[]): void {
  problems.maxLength(['embeds'], embeds, MAX_EMBEDS);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = (...rest: (string | number)[]): Path => ['embeds', i, ...rest];
    problems.maxLength(at('title'), embed.title, 256);
    problems.maxLength(at('description'), embed.description, 4096);
    problems.maxLength(at('fields'), embed.fields, 25);
    problems.maxLength(at('footer', 'text'), embed.footer?.text, 2048);
    problems.maxLength(at('author', 'name'), embed.author?.name, 256);
    for (const [key, url] of [['url', embed.url], ['image', embed.image?.url], ['thumbnail', embed.thumbnail?.url]] as const) {
      if (url !== undefined && !/^(https?|attachment):\/\/\S+$/.test(url)) {
        problems.add(key === 'url' ? at('url') : at(key, 'url'), 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
      }
    }
    if (embed.color !== undefined && (!Number.isInteger(embed.color) || embed.color < 0 || embed.color > 0xffffff)) {
      problems.add(at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
    embed.fields?.forEach((field, f) => {
      if (problems.required(at('fields', f, 'name'), field.name)) problems.maxLength(at('fields', f, 'name'), field.name, 256);
      if (problems.required(at('fields', f, 'value'), field.value)) problems.maxLength(at('fields', f, 'value'), field.value, 1024);
      total += String(field.name).length + String(field.value).length;
    });
  });
  if (total > MAX_EMBED_TOTAL) problems.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${MAX_EMBED_TOTAL}`);
}

interface LooseComponent {
  type?: unknown;
  style?: unknown;
  custom_id?: unknown;
  url?: unknown;
  label?: unknown;
  options?: unknown;
  components?: unknown;
}

function validateActionRows(problems: Problems, rows: readonly unknown[]): void {
  problems.maxLength(['components'], rows, MAX_ACTION_ROWS);
  const customIds = new Set<string>();
  rows.forEach((row, r) => {
    const raw = row as LooseComponent;
    if (raw.type !== ComponentType.ActionRow) {
      problems.add(['components', r, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = Array.isArray(raw.components) ? (raw.components as LooseComponent[]) : [];
    if (children.length < 1 || children.length > MAX_ROW_BUTTONS) {
      problems.add(['components', r, 'components'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MAX_ROW_BUTTONS} in length.`);
    }
    children.forEach((child, c) => {
      const at = (key: string): Path => ['components', r, 'components', c, key];
      if (typeof child.custom_id === 'string') {
        problems.between(at('custom_id'), child.custom_id, 1, 100);
        if (customIds.has(child.custom_id)) problems.add(at('custom_id'), 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        customIds.add(child.custom_id);
      }
      if (child.type === ComponentType.Button) {
        if (typeof child.label === 'string') problems.maxLength(at('label'), child.label, 80);
        if (child.style === ButtonStyle.Link) {
          if (typeof child.url !== 'string') problems.add(at('url'), 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
          if (child.custom_id !== undefined) problems.add(at('custom_id'), 'BUTTON_COMPONENT_LINK_CANNOT_HAVE_CUSTOM_ID', 'Link buttons cannot have a custom_id');
        } else if (child.style !== ButtonStyle.Premium && typeof child.custom_id !== 'string') {
          problems.add(at('custom_id'), 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id is required');
        }
      } else if (child.type === ComponentType.StringSelect) {
        if (children.length > 1) problems.add(['components', r, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
        const options = Array.isArray(child.options) ? (child.options as unknown[]) : [];
        if (options.length < 1 || options.length > 25) problems.add(at('options'), 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
      }
    });
  });
}

/** What Discord calls an empty message: nothing a user could see. */
export function isEmptyMessage(message: Pick<APIMessage, 'content' | 'embeds' | 'attachments' | 'components' | 'poll' | 'sticker_items'>): boolean {
  return (
    message.content.trim() === '' &&
    message.embeds.length === 0 &&
    message.attachments.length === 0 &&
    (message.components?.length ?? 0) === 0 &&
    message.poll === undefined &&
    (message.sticker_items?.length ?? 0) === 0
  );
}

export function validateChoices(choices: readonly APIApplicationCommandOptionChoice[] | undefined): void {
  const problems = new Problems();
  problems.maxLength(['data', 'choices'], choices, MAX_CHOICES);
  choices?.forEach((choice, i) => {
    problems.between(['data', 'choices', i, 'name'], choice.name, 1, 100);
    if (typeof choice.value === 'string') problems.maxLength(['data', 'choices', i, 'value'], choice.value, 100);
  });
  problems.throwIfAny();
}

export function validateModal(data: APIModalInteractionResponseCallbackData): void {
  const problems = new Problems();
  problems.between(['data', 'title'], data.title, 1, 45);
  problems.between(['data', 'custom_id'], data.custom_id, 1, 100);
  if (data.components.length < 1 || data.components.length > 5) {
    problems.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  problems.throwIfAny();
}

interface LooseOption {
  type?: unknown;
  name?: unknown;
  description?: unknown;
  required?: unknown;
  autocomplete?: unknown;
  choices?: unknown;
  options?: unknown;
}

/** The checks Discord runs on PUT /applications/{id}/commands that a bot's command builders can get wrong. */
export function validateCommands(commands: RESTPutAPIApplicationCommandsJSONBody): void {
  const problems = new Problems();
  if (!Array.isArray(commands)) {
    problems.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    problems.throwIfAny();
  }
  problems.maxLength([], commands, 100);
  const seen = new Set<string>();
  commands.forEach((command, i) => {
    const type = command.type ?? ApplicationCommandType.ChatInput;
    const key = `${type}:${command.name}`;
    if (seen.has(key)) problems.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
    checkEnumList(problems, [i, 'integration_types'], command.integration_types, [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall]);
    checkEnumList(problems, [i, 'contexts'], command.contexts, [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel]);
    if (type === ApplicationCommandType.ChatInput) {
      checkName(problems, [i, 'name'], command.name);
      problems.between([i, 'description'], 'description' in command ? command.description : undefined, 1, 100);
      validateOptions(problems, [i, 'options'], 'options' in command ? command.options : undefined, 0);
    } else {
      problems.between([i, 'name'], command.name, 1, 32);
    }
  });
  problems.throwIfAny();
}

/** integration_types and contexts: when sent, a non-empty list of known values without repeats. */
function checkEnumList(problems: Problems, path: Path, values: unknown, allowed: readonly number[]): void {
  if (values === undefined || values === null) return;
  if (!Array.isArray(values) || values.length === 0) {
    problems.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 3 in length.');
    return;
  }
  values.forEach((value: unknown, k) => {
    if (typeof value !== 'number' || !allowed.includes(value)) problems.add([...path, k], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
  });
  if (new Set(values).size !== values.length) problems.add(path, 'SET_TYPE_ALREADY_CONTAINS_VALUE', 'The set already contains this value.');
}

function checkName(problems: Problems, path: Path, name: unknown): void {
  if (typeof name !== 'string' || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
    problems.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

function validateOptions(problems: Problems, path: Path, options: LooseOption[] | undefined, depth: number): void {
  if (!options) return;
  problems.maxLength(path, options, 25);
  const names = new Set<unknown>();
  let sawOptional = false;
  let sawSub = false;
  let sawBasic = false;
  options.forEach((option, o) => {
    const at = (...rest: (string | number)[]): Path => [...path, o, ...rest];
    checkName(problems, at('name'), option.name);
    if (names.has(option.name)) problems.add(at('name'), 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(option.name);
    problems.between(at('description'), typeof option.description === 'string' ? option.description : undefined, 1, 100);
    const isSub = option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (isSub) sawSub = true;
    else sawBasic = true;
    if (option.required === true && sawOptional) {
      problems.add(at('required'), 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    const choices = Array.isArray(option.choices) ? option.choices : undefined;
    problems.maxLength(at('choices'), choices, MAX_CHOICES);
    if (option.autocomplete === true && choices && choices.length > 0) {
      problems.add(at('autocomplete'), 'APPLICATION_COMMAND_OPTION_CHOICES_AND_AUTOCOMPLETE', 'Autocomplete cannot be set for options with choices');
    }
    if (option.type === ApplicationCommandOptionType.SubcommandGroup && depth > 0) {
      problems.add(at('type'), 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-command groups cannot be nested');
    }
    if (isSub) validateOptions(problems, at('options'), option.options as LooseOption[] | undefined, depth + 1);
  });
  if (sawSub && sawBasic) {
    problems.add(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
  }
}
