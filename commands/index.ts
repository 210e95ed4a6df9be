import type { ButtonHandler, SelectHandler, SlashCommand } from '../bot/command.js';
import cluster from './cluster.js';
import daily from './daily.js';
import mix from './mix.js';
import recommend, { anotherOneButton, notThisOneSelect } from './recommend.js';
import seed from './seed.js';
import stats from './stats.js';
import taste, { mixVoteSelect, notForMeSelect, tasteResetButton, unblockSelect, voteButton } from './taste.js';

/** Every slash command the bot registers and answers. */
export const commands: SlashCommand[] = [recommend, mix, cluster, taste, seed, daily, stats];

export const buttons: ButtonHandler[] = [anotherOneButton, voteButton, tasteResetButton];

export const selects: SelectHandler[] = [notForMeSelect, unblockSelect, mixVoteSelect, notThisOneSelect];
