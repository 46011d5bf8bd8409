/**
 * The "Profile a Go program…" form as plain data: the arguments typed on one line are split the
 * way a shell splits words (quotes group, a backslash escapes), so `-name "my server"` is two
 * arguments, and the request is checked against the limits the server enforces.
 */
import { PROGRAM_LIMITS, SESSION_EDIT_LIMITS, type ProgramStartRequest } from './contract';

export interface ProfileFormValues {
  command: string;
  /** The arguments as typed on one line. */
  args: string;
  name: string;
  /** Empty: the user's home directory. */
  cwd: string;
}

export type ProfileField = 'command' | 'args' | 'name' | 'cwd';
export type ProfileErrors = Partial<Record<ProfileField, string>>;
export type ProfileFormResult =
  { ok: true; request: ProgramStartRequest } | { ok: false; errors: ProfileErrors };

export const EMPTY_PROFILE_FORM: ProfileFormValues = { command: '', args: '', name: '', cwd: '' };

/** Words of `line` as a POSIX shell splits them (no expansion); throws on an unclosed quote. */
export function splitArgs(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new SyntaxError(`an unclosed ${quote === '"' ? 'double' : 'single'} quote`);
  if (inWord) words.push(word);
  return words;
}

export function validateProfileForm(values: ProfileFormValues): ProfileFormResult {
  const errors: ProfileErrors = {};
  const command = values.command.trim();
  if (command === '') errors.command = 'Command: expected the program to run (a path, or a name on PATH)';
  else if (command.length > PROGRAM_LIMITS.commandMax)
    errors.command = `Command: at most ${PROGRAM_LIMITS.commandMax} characters`;
  let args: string[] = [];
  try {
    args = splitArgs(values.args);
    if (args.length > PROGRAM_LIMITS.argsMax) errors.args = `Arguments: at most ${PROGRAM_LIMITS.argsMax}`;
    else if (args.some((a) => a.length > PROGRAM_LIMITS.argMax))
      errors.args = `Arguments: each at most ${PROGRAM_LIMITS.argMax} characters`;
  } catch (error) {
    errors.args = `Arguments: ${(error as Error).message}; close it or escape it with \\`;
  }
  const name = values.name.trim();
  if (name.length > SESSION_EDIT_LIMITS.nameMax)
    errors.name = `Name: at most ${SESSION_EDIT_LIMITS.nameMax} characters`;
  const cwd = values.cwd.trim();
  if (cwd.length > PROGRAM_LIMITS.cwdMax)
    errors.cwd = `Working directory: at most ${PROGRAM_LIMITS.cwdMax} characters`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const request: ProgramStartRequest = { command, args };
  if (name !== '') request.name = name;
  if (cwd !== '') request.cwd = cwd;
  return { ok: true, request };
}

/** Which field a server `invalid-argument` message is about ("cwd: …", "args.0: …"), else null. */
export function fieldOfServerError(message: string): ProfileField | null {
  const match = /^(?:programs\.start: )?(command|args|name|cwd)\b/.exec(message);
  return (match?.[1] as ProfileField | undefined) ?? null;
}
