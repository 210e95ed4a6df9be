import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand } from '../bot/command.js';
import { clusterMapMessage, clusterMessage } from '../bot/embeds/clusters.js';
import { plain } from '../bot/embeds/format.js';
import { withPicture } from '../bot/embeds/types.js';
import { clusterDetails, findCluster } from '../src/recommender/clusterDetails.js';
import { SERVER_ONLY } from '../bot/installs.js';

export const ClusterCommand = {
  name: 'cluster',
  description: 'What a cluster of songs sounds like, or a map of them all',
  ...SERVER_ONLY,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'show',
      description: "A cluster's sound, size and most typical songs, with its portrait",
      options: [
        { type: ApplicationCommandOptionType.String, name: 'cluster', description: 'A cluster number or words of its label', required: true, autocomplete: true, max_length: 100 },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'map', description: 'Every cluster on one map, each song a dot' },
  ],
} as const;

export default defineCommand({
  data: ClusterCommand,
  async execute(interaction, args, ctx) {
    // Pictures are the costliest answers: a flood of /cluster map must not hold up others' picks.
    ctx.cooldowns.take(interaction.user.id, 'cluster');
    const index = ctx.app.recommender.currentIndex();
    // A cluster that does not exist is answered at once; the answers with a picture take Discord's longer window.
    const cluster = args.show ? findCluster(index.model, args.show.cluster) : null;
    await interaction.deferReply();
    if (cluster !== null) {
      const details = clusterDetails(ctx.app, cluster);
      const picture = await ctx.pictures.portrait(details.model, details.id, details.examples);
      await interaction.editReply(withPicture(clusterMessage(details), picture));
      return;
    }
    const picture = await ctx.pictures.map(index);
    await interaction.editReply(withPicture(clusterMapMessage(index.model.k, Math.min(2_000, index.trackCount), index.model.createdAt), picture));
  },
  autocomplete(interaction, ctx) {
    const model = ctx.app.recommender.currentIndex().model;
    const typed = interaction.options.getFocused().toLowerCase();
    const choices = model.labels
      .map((label, id) => ({ name: plain(`#${id} · ${label}`, 100), value: String(id) }))
      .filter((c) => c.name.toLowerCase().includes(typed))
      .slice(0, 25);
    return Promise.resolve(choices);
  },
});
