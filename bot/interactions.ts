import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, type Interaction } from 'discord.js';
import { MemberBudgets, type BudgetSettings } from '../src/budgets.js';
import { isUserError, UnknownSongError, WarmingUpError } from '../src/errors.js';
import { realClock } from '../src/http/httpClient.js';
import type { Logger } from '../src/logger.js';
import { readArguments } from './args.js';
import type { BotContext, ButtonHandler, HandlerContext, SelectHandler, SlashCommand } from './command.js';
import { apologyMessage, errorMessage, unknownSongMessage, warmingUpMessage } from './embeds/notices.js';
import { NO_MENTIONS } from './embeds/types.js';
import { placeOf } from './place.js';
import { replyPrivately } from './replies.js';

/**
 * Autocompletes a member may send at once, and one more every 100 ms: Discord asks on every
 * keystroke, and past ten a second nobody is typing.
 */
export const AUTOCOMPLETE_BUDGET: BudgetSettings = { burst: 10, refillMs: 100 };

type Outcome = 'ok' | 'user_error' | 'error' | 'limited' | 'late';

/** Discord's answer to a reply after its 3 s window (or to a forged or already answered interaction). */
const isUnknownInteraction = (error: unknown) => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;

/** What was asked, for the log line of a failure. */
function describe(interaction: Interaction): Record<string, unknown> {
  return {
    interactionId: interaction.id,
    guildId: interaction.guildId,
    context: interaction.context,
    userId: interaction.user.id,
    ...(interaction.isChatInputCommand() || interaction.isAutocomplete()
      ? { command: interaction.commandName, options: interaction.options.data }
      : interaction.isMessageComponent()
        ? { customId: interaction.customId }
        : {}),
  };
}

/**
 * Routes every interaction to its command or button, and handles errors once: a mistake the
 * member can fix gets a clear private answer; anything else is logged with the interaction's
 * context and answered with a short apology. Nothing is left unanswered.
 */
export function createInteractionHandler(commands: SlashCommand[], buttons: ButtonHandler[], base: BotContext, selects: SelectHandler[] = []) {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const buttonFor = (customId: string) => buttons.find((b) => customId.startsWith(`${b.prefix}:`));
  const selectFor = (customId: string) => selects.find((s) => customId.startsWith(`${s.prefix}:`));

  /** The metric's label: a known command or handler prefix, else "unknown" (a forged ID must not mint a new series). */
  const countAs = (interaction: Interaction, outcome: Outcome) => {
    const command = interaction.isChatInputCommand() || interaction.isAutocomplete()
      ? `${interaction.isAutocomplete() ? 'autocomplete:' : ''}${byName.has(interaction.commandName) ? interaction.commandName : 'unknown'}`
      : interaction.isButton()
        ? `button:${buttonFor(interaction.customId)?.prefix ?? 'unknown'}`
        : interaction.isStringSelectMenu()
          ? `select:${selectFor(interaction.customId)?.prefix ?? 'unknown'}`
          : 'other';
    base.app.metrics.interactions.inc({ command, outcome });
  };

  async function fail(interaction: Interaction, error: unknown, logger: Logger): Promise<void> {
    // An autocomplete answered after Discord's 3 s (a busy moment): counted, not logged per keystroke.
    if (interaction.isAutocomplete() && isUnknownInteraction(error)) return countAs(interaction, 'late');
    countAs(interaction, isUserError(error) ? 'user_error' : 'error');
    if (interaction.isAutocomplete()) {
      logger.warn({ err: error }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    if (!interaction.isRepliable()) return;
    const userError = isUserError(error);
    // "Warming up" picked nothing: asking again once the catalog is loaded must not meet a cooldown.
    if (error instanceof WarmingUpError) base.cooldowns.forgive(interaction.user.id);
    if (userError) logger.info({ code: error.code, reason: error.message }, 'user error');
    else logger.error({ err: error, ...describe(interaction) }, 'interaction failed');
    const message =
      error instanceof UnknownSongError
        ? unknownSongMessage(error)
        : error instanceof WarmingUpError
          ? warmingUpMessage(error.message)
          : userError
            ? errorMessage(error.message)
            : apologyMessage();
    try {
      await replyPrivately(interaction, message);
    } catch (replyError) {
      logger.warn({ err: replyError }, 'could not send the error reply');
    }
  }

  const notHere = { content: 'That works in servers I am in: add me to one and use it there.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;

  // Checked before any work (the catalog's search is most of an autocomplete's cost, then the REST
  // call of the answer): one member's flood must not delay everyone else's commands. Past the
  // budget an autocomplete is not answered at all: Discord shows only the answer to the latest
  // text, an unanswered one shows no suggestions, and even an empty answer is a REST call.
  const autocompletes = new MemberBudgets(AUTOCOMPLETE_BUDGET, realClock);

  return async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete() && !autocompletes.take(interaction.user.id)) return countAs(interaction, 'limited');
    const logger = base.logger.child(describe(interaction));
    const ctx: HandlerContext = { ...base, logger, place: placeOf(interaction) };
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new Error(`No handler for /${interaction.commandName}`);
        const started = performance.now();
        const args = readArguments(interaction.options.data);
        if (command.anywhere) await command.execute(interaction, args, ctx);
        else if (interaction.inCachedGuild()) await command.execute(interaction, args, ctx);
        else await interaction.reply(notHere);
        logger.debug({ ms: Math.round(performance.now() - started) }, 'command answered');
      } else if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        const choices = !command?.autocomplete
          ? []
          : command.anywhere
            ? await command.autocomplete(interaction, ctx)
            : interaction.inCachedGuild()
              ? await command.autocomplete(interaction, ctx)
              : [];
        await interaction.respond(choices.slice(0, 25));
      } else if (interaction.isButton()) {
        const button = buttonFor(interaction.customId);
        if (!button) throw new Error(`No handler for button ${interaction.customId}`);
        await button.handle(interaction, ctx);
      } else if (interaction.isStringSelectMenu()) {
        const select = selectFor(interaction.customId);
        if (!select) throw new Error(`No handler for select menu ${interaction.customId}`);
        await select.handle(interaction, ctx);
      } else if (interaction.isRepliable()) {
        await interaction.reply(notHere);
      }
      countAs(interaction, 'ok');
    } catch (error) {
      await fail(interaction, error, logger);
    }
  };
}
