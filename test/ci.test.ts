import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';

// What CI runs is what the README says it runs: the quick start's test line is .ci/run, and the
// Node 20 smoke subset the README names is the one .ci/run runs.

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

describe('CI', () => {
  const run = read('.ci/run');
  const readme = read('README.md');

  it('the README quick start tests with .ci/run, which runs every test on the current LTS and a smoke subset on Node 20', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Running the bot'));
    expect(quickStart).toMatch(/^bash \.ci\/run +# /m);
    expect(run).toMatch(/^LTS_NODE=26\.\d+\.\d+$/m);
    expect(run).toMatch(/^OLD_NODE=20\.\d+\.\d+$/m);
    expect(run).toMatch(/^PATH="\$lts_dir\/bin:\$PATH" node_modules\/\.bin\/vitest run$/m);
    const smoke = /^SMOKE_TESTS=\(([^)]*)\)$/m.exec(run)?.[1]?.split(' ') ?? [];
    expect(smoke.length).toBeGreaterThan(0);
    for (const file of smoke) {
      expect(existsSync(join(PROJECT_ROOT, file)), file).toBe(true);
      expect(quickStart, `the README names ${file} in the Node 20 subset`).toContain(`\`${file}\``);
    }
  });

  it('says the same supported Node lines in package.json and the Dockerfile', () => {
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(engines.node).toBe('^20.12.0 || >=26.0.0');
    expect(read('Dockerfile').match(/^FROM node:\S+/gm)).toEqual(['FROM node:26-trixie-slim', 'FROM node:26-trixie-slim']);
  });
});
