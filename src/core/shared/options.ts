/**
 * The options the core's advice names. A hint says `Pass {{force}} to replace it`; each face spells
 * the option its own way when it shows the hint: `--force` on the command line, `force: true` in a
 * workflow step.
 */
const OPTION_NAMES = ['force', 'no-backup', 'out', 'db', 'seed', 'migrations', 'allow-empty'] as const;
export type OptionName = (typeof OPTION_NAMES)[number];

export const option = (name: OptionName): string => `{{${name}}}`;

/** Replaces each `{{name}}` of a known option with `spell(name)`; other text is left alone. */
export const spellOptions = (text: string, spell: (name: OptionName) => string): string =>
  text.replace(/\{\{([a-z-]+)\}\}/g, (marker, name: string) =>
    (OPTION_NAMES as readonly string[]).includes(name) ? spell(name as OptionName) : marker,
  );

/** The command line's spelling: the flag itself. */
export const cliOption = (name: OptionName): string => `--${name}`;
