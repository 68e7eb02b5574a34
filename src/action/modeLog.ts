/** Where the mode reports what it is doing: grouped log sections and progress lines. */
export interface ModeLog {
  info(line: string): void;
  /** Something the user should see but that does not fail the step (an annotation). */
  notice(line: string): void;
  warning(line: string): void;
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}
