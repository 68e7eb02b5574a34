/**
 * The docs stay true to the code and to each other: docs/action.md's inputs and outputs tables
 * match action.yml, and every relative link in the Markdown files points to a file that exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers.ts';
import { readActionYaml } from './actionRunner.ts';

const actionYaml = readActionYaml();
const ACTION_DOC = 'docs/action.md';
const actionDoc = readFileSync(join(REPO_ROOT, ACTION_DOC), 'utf8');

/** The rows of the first table after `heading`, as arrays of trimmed cells. */
function tableAfter(heading: string): string[][] {
  const start = actionDoc.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `${ACTION_DOC} has a "${heading}" section`);
  const lines = actionDoc.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  // Drop the header and the --- separator.
  return rows.slice(2);
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->`, each on a line of its own. */
function between(name: string): string {
  const start = actionDoc.indexOf(`\n<!-- ${name}:start -->\n`);
  const end = actionDoc.indexOf(`\n<!-- ${name}:end -->\n`);
  assert.ok(start !== -1 && end > start, `${ACTION_DOC} has the ${name}:start and ${name}:end markers, in order`);
  return actionDoc.slice(start, end);
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

test(`${ACTION_DOC}'s inputs table lists every input of action.yml, in order, with its default`, () => {
  const rows = tableAfter('### Inputs');
  assert.deepEqual(
    rows.map((row) => unquote(row[0]!)),
    Object.keys(actionYaml.inputs),
  );
  for (const row of rows) {
    const name = unquote(row[0]!);
    assert.equal(unquote(row[1]!), actionYaml.inputs[name]?.default ?? '', `default of ${name}`);
    assert.ok((row[2] ?? '').length > 10, `${name} is explained`);
  }
});

test(`${ACTION_DOC}'s outputs table lists every output of action.yml, in order`, () => {
  const rows = tableAfter('### Outputs');
  assert.deepEqual(
    rows.map((row) => unquote(row[0]!)),
    Object.keys(actionYaml.outputs),
  );
});

test(`${ACTION_DOC}'s tables sit between the markers a generator rewrites`, () => {
  const inputs = between('inputs');
  for (const name of Object.keys(actionYaml.inputs)) assert.ok(inputs.includes(`| \`${name}\``), `input ${name}`);
  const outputs = between('outputs');
  for (const name of Object.keys(actionYaml.outputs)) assert.ok(outputs.includes(`| \`${name}\``), `output ${name}`);
});

/** README.md, CONTRIBUTING.md and docs/*.md, relative to the repository root. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs];
}

/**
 * The targets of a Markdown file's links: inline links and images, and reference definitions.
 * Fenced code blocks, code spans and HTML comments are left out: what they hold is not a link.
 */
function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^()\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  const references = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)].map((match) => match[1]!);
  return [...inline, ...references];
}

/** The repository path a relative link points to, or undefined for a URL or a pure #anchor. */
function linkedPath(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return undefined;
  const path = decodeURIComponent(target.replace(/[?#].*$/, ''));
  return path.startsWith('/') ? join(REPO_ROOT, path) : resolve(REPO_ROOT, dirname(file), path);
}

test('linkTargets finds inline and reference links, not code', () => {
  const markdown = [
    'See [the CLI](docs/cli.md#build) and ![a chart](img/a.png "title").',
    '`[not](a-link.md)` and [web](https://example.com) and [here](#section)',
    '```md',
    '[fenced](nope.md)',
    '```',
    '<!-- [commented](nope.md) -->',
    '[ref]: ../LICENSE',
  ].join('\n');
  assert.deepEqual(linkTargets(markdown), [
    'docs/cli.md#build',
    'img/a.png',
    'https://example.com',
    '#section',
    '../LICENSE',
  ]);
});

test('every relative link in README.md, CONTRIBUTING.md and docs/*.md points to a file that exists', () => {
  const dead: string[] = [];
  let checked = 0;
  for (const file of markdownFiles()) {
    const markdown = readFileSync(join(REPO_ROOT, file), 'utf8');
    for (const target of linkTargets(markdown)) {
      const path = linkedPath(file, target);
      if (path === undefined) continue;
      checked++;
      const fromRoot = relative(REPO_ROOT, path);
      const inside = fromRoot !== '..' && !fromRoot.startsWith(`..${sep}`) && !isAbsolute(fromRoot);
      if (!inside || !existsSync(path)) dead.push(`${file}: ${target}`);
    }
  }
  assert.deepEqual(dead, [], 'dead links');
  assert.ok(checked > 10, `links were found (${checked})`);
});
