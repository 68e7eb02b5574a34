/**
 * Generated regions inside hand-written files: the reusable workflow's inputs, outputs and the
 * `with:` it passes to the action, and the tables of docs/action.md. Each region sits between a
 * start and an end marker line; everything outside them is left as written.
 */
import { cellProse, cellText } from '../core/shared/markdown.ts';
import { ACTION_INPUTS, inputsOf, VERBS, type Verb, type WorkflowInput } from './actionInputs.ts';
import { ACTION_OUTPUTS, outputsOf } from './actionOutputs.ts';

/**
 * Replaces the lines between a region's start and end markers with `body`. Markers are lines of
 * their own: `# <region>:start …` / `# <region>:end` in YAML, `<!-- <region>:start -->` /
 * `<!-- <region>:end -->` in Markdown.
 */
export function replaceRegion(text: string, region: string, body: string): string {
  const lines = text.split('\n');
  const marker = (edge: 'start' | 'end') => (line: string) =>
    line.trim().startsWith(`# ${region}:${edge}`) || line.trim() === `<!-- ${region}:${edge} -->`;
  const from = lines.findIndex(marker('start'));
  const to = lines.findIndex(marker('end'));
  if (from === -1 || to === -1 || to < from)
    throw new Error(`the markers of the generated region "${region}" are missing`);
  return [...lines.slice(0, from + 1), ...(body === '' ? [] : body.split('\n')), ...lines.slice(to)].join('\n');
}

const yamlString = (value: string): string => JSON.stringify(value);

const workflowInputs = (): string =>
  ACTION_INPUTS.filter((spec) => spec.workflow !== false && 'type' in spec.workflow)
    .flatMap((spec) => {
      const workflow = spec.workflow as WorkflowInput;
      const lines = [
        `      ${spec.name}:`,
        ...(workflow.comment ? [`        # ${workflow.comment}`] : []),
        `        type: ${workflow.type}`,
        `        description: ${yamlString(workflow.description ?? spec.description)}`,
        '        required: false',
      ];
      const fallback = workflow.default ?? (workflow.type === 'string' ? (spec.default ?? '') : undefined);
      if (typeof fallback === 'boolean') lines.push(`        default: ${fallback}`);
      else if (fallback !== undefined)
        lines.push(`        default: ${/^[a-z]+$|^\$\{\{/.test(fallback) ? fallback : yamlString(fallback)}`);
      return lines;
    })
    .join('\n');

const passedOutputs = () => ACTION_OUTPUTS.filter((output) => output.workflow !== false);

const workflowOutputs = (): string =>
  passedOutputs()
    .flatMap((output) => [
      `      ${output.name}:`,
      `        description: ${yamlString((output.workflow !== false && output.workflow.description) || output.description)}`,
      `        value: \${{ jobs.snapshot.outputs.${output.name} }}`,
    ])
    .join('\n');

const jobOutputs = (): string =>
  passedOutputs()
    .map((output) => `      ${output.name}: \${{ steps.snapshot.outputs.${output.name} }}`)
    .join('\n');

const actionWith = (): string =>
  ACTION_INPUTS.filter((spec) => spec.workflow !== false)
    .map((spec) => {
      const workflow = spec.workflow as WorkflowInput | { passes: string };
      return `          ${spec.name}: ${workflow.passes ?? `\${{ inputs.${spec.name} }}`}`;
    })
    .join('\n');

export function renderWorkflow(text: string): string {
  let out = replaceRegion(text, 'action-inputs', workflowInputs());
  out = replaceRegion(out, 'action-outputs', workflowOutputs());
  out = replaceRegion(out, 'job-outputs', jobOutputs());
  return replaceRegion(out, 'action-with', actionWith());
}

/** A name or default as code in a cell; an empty one stays empty. */
const code = (text: string): string => (text === '' ? '' : cellText(text));

const inputsTable = (verb: Verb | undefined): string =>
  [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...inputsOf(verb).map(
      ({ name, description, spec }) => `| ${code(name)} | ${code(spec.default ?? '')} | ${cellProse(description)} |`,
    ),
  ].join('\n');

const outputsTable = (verb: Verb | undefined): string =>
  [
    '| Output | Description |',
    '| --- | --- |',
    ...outputsOf(verb).map(({ name, description }) => `| ${code(name)} | ${cellProse(description)} |`),
  ].join('\n');

export function renderActionDocs(text: string): string {
  let out = replaceRegion(text, 'inputs', `\n${inputsTable(undefined)}\n`);
  out = replaceRegion(out, 'outputs', `\n${outputsTable(undefined)}\n`);
  for (const verb of VERBS) {
    out = replaceRegion(out, `${verb}-inputs`, `\n${inputsTable(verb)}\n`);
    out = replaceRegion(out, `${verb}-outputs`, `\n${outputsTable(verb)}\n`);
  }
  return out;
}
