import { MessageFlags, type Interaction } from 'discord.js';
import { isUserError, UnknownSongError, WarmingUpError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { readArguments } from './args.js';
import type { BotContext, ButtonHandler, SlashCommand } from './command.js';
import { apologyMessage, errorMessage, unknownSongMessage, warmingUpMessage } from './embeds/notices.js';
import { NO_MENTIONS } from './embeds/types.js';
import { replyPrivately } from './replies.js';

/** What was asked, for the log line of a failure. */
function describe(interaction: Interaction): Record<string, unknown> {
  return {
    interactionId: interaction.id,
    guildId: interaction.guildId,
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
export function createInteractionHandler(commands: SlashCommand[], buttons: ButtonHandler[], base: BotContext) {
  const byName = new Map(commands.map((c) => [c.data.name, c]));

  const countAs = (interaction: Interaction, outcome: 'ok' | 'user_error' | 'error') => {
    const command = interaction.isChatInputCommand() || interaction.isAutocomplete()
      ? `${interaction.isAutocomplete() ? 'autocomplete:' : ''}${interaction.commandName}`
      : interaction.isButton()
        ? `button:${interaction.customId.split(':').slice(0, 2).join(':')}`
        : 'other';
    base.app.metrics.interactions.inc({ command, outcome });
  };

  async function fail(interaction: Interaction, error: unknown, logger: Logger): Promise<void> {
    countAs(interaction, isUserError(error) ? 'user_error' : 'error');
    if (interaction.isAutocomplete()) {
      logger.warn({ err: error }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    if (!interaction.isRepliable()) return;
    const userError = isUserError(error);
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

  return async function handle(interaction: Interaction): Promise<void> {
    const logger = base.logger.child(describe(interaction));
    const ctx: BotContext = { ...base, logger };
    try {
      if (!interaction.inCachedGuild()) {
        if (interaction.isRepliable()) {
          await interaction.reply({ content: 'I work in servers: add me to one and use my commands there.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        }
        return;
      }
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new Error(`No handler for /${interaction.commandName}`);
        const started = performance.now();
        await command.execute(interaction, readArguments(interaction.options.data), ctx);
        logger.debug({ ms: Math.round(performance.now() - started) }, 'command answered');
      } else if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        const choices = (await command?.autocomplete?.(interaction, ctx)) ?? [];
        await interaction.respond(choices.slice(0, 25));
      } else if (interaction.isButton()) {
        const button = buttons.find((b) => interaction.customId.startsWith(`${b.prefix}:`));
        if (!button) throw new Error(`No handler for button ${interaction.customId}`);
        await button.handle(interaction, ctx);
      }
      countAs(interaction, 'ok');
    } catch (error) {
      await fail(interaction, error, logger);
    }
  };
}
