import type { Command } from 'commander';
import { SpotifyNotConfiguredError } from '../../errors.js';
import { loginWithPkce } from '../../spotify/login.js';
import type { CliContext } from '../context.js';
import { printJson, printLines } from '../output.js';

export function registerSpotifyLogin(program: Command, ctx: CliContext): void {
  program
    .command('spotify-login')
    .description(
      'Authorise a Spotify account (Authorization Code with PKCE) so crawls can read its playlists, as development-mode apps must',
    )
    .option('--json', 'print the logged-in account as one JSON object')
    .action(async (options: { json?: boolean }) => {
      const app = ctx.app({ create: true });
      if (!app.spotify) throw new SpotifyNotConfiguredError('log in to Spotify');
      const account = await loginWithPkce({
        http: app.http,
        settings: app.spotify.accountsSettings,
        apiUrl: app.config.spotify.apiUrl,
        accounts: app.spotifyAccounts,
        port: app.config.spotify.redirectPort,
        onAuthorizeUrl: (url, redirectUri) =>
          process.stderr.write(
            `Open this address in a browser and log in with the account that owns your seed playlists:\n\n  ${url}\n\n` +
              `(Your Spotify app must list ${redirectUri} as a redirect URI.) Waiting for the login...\n`,
          ),
      });
      if (options.json) printJson({ userId: account.userId, displayName: account.displayName, scope: account.scope });
      else printLines([`Logged in as ${account.displayName ?? account.userId}. Playlist crawls now read with this account.`]);
    });
}
