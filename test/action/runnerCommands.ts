/**
 * The workflow commands the Actions runner would act on in a step's output, found the way
 * actions/runner finds them (src/Runner.Common/ActionCommand.cs and ActionCommandManager.cs): each
 * line as .NET's ReadLine splits them (CR, LF, CRLF); `::name props::data` after a TrimStart, else
 * the legacy `##[name props]data` anywhere in the line; names from the registered set; and while
 * `stop-commands` is in force, only its resume token. Written here from that reading, so a test
 * can ask "what would the runner do with this log?" rather than trust our own escaper.
 */

export interface RunnerCommand {
  command: string;
  properties: Record<string, string>;
  /** The data, unescaped as the runner does (%0A is a newline). */
  data: string;
  line: string;
}

/** The command extensions a runner registers (plus stop-commands, which the manager handles). */
const REGISTERED = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
];

/** .NET's char.IsWhiteSpace, which TrimStart uses (JS's \s differs: it has U+FEFF, lacks U+0085). */
const DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

const unescapeData = (text: string): string =>
  text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
const unescapeProperty = (text: string): string => unescapeData(text).replaceAll('%3A', ':').replaceAll('%2C', ',');

function parseV2(line: string, names: Set<string>): RunnerCommand | undefined {
  const message = line.replace(DOTNET_LEADING_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!names.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
  }
  return { command, properties, data: unescapeData(message.slice(end + 2)), line };
}

function parseLegacy(line: string, names: Set<string>): RunnerCommand | undefined {
  const start = line.indexOf('##[');
  if (start < 0) return undefined;
  const close = line.indexOf(']', start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!names.has(command)) return undefined;
  return { command, properties: {}, data: line.slice(close + 1), line };
}

/** Every command the runner would carry out, in order. */
export function runnerCommands(output: string): RunnerCommand[] {
  const names = new Set(REGISTERED);
  const done: RunnerCommand[] = [];
  let resumeToken: string | undefined;
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command = parseV2(line, names) ?? parseLegacy(line, names);
    if (!command) continue;
    if (resumeToken !== undefined) {
      if (command.command.toLowerCase() === resumeToken.toLowerCase()) {
        names.delete(resumeToken);
        resumeToken = undefined;
      }
      continue;
    }
    if (command.command === 'stop-commands') {
      resumeToken = command.data;
      names.add(resumeToken);
    }
    done.push(command);
  }
  return done;
}
