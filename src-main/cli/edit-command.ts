/**
 * `heapscope edit ID [--name TEXT] [--notes TEXT] [--tag TAG]... [--untag TAG]...`: the library's
 * rename, notes and tags from the terminal, through `sessions.update`. Every value is checked
 * against the API's own schemas before the database is opened, so a bad tag exits 2 having written
 * nothing.
 */
import type { Command, Option } from 'commander';
import { ApiError } from '../api/contract';
import { describeZodError, sessionNameSchema, sessionUpdateSchema, tagSchema } from '../api/schemas';
import type { SessionSummary } from '../api/types';
import type { App } from '../services/app';
import { formatBytes } from './format';

interface EditOptions {
  name?: string;
  notes?: string;
  tag: string[];
  untag: string[];
  db?: string;
  json?: boolean;
}

export interface EditCommandDeps {
  /** Opens the app when the database exists; null otherwise (nothing is created). */
  openExistingApp(db: string | undefined): App | null;
  dbOption(): Option;
  parseSessionId(text: string): number;
}

function usage(message: string): ApiError {
  return new ApiError('invalid-argument', message);
}

function checked<T>(
  flag: string,
  result: { success: true; data: T } | { success: false; error: unknown },
): T {
  if (result.success) return result.data;
  const issues = (result.error as { issues: { message: string }[] }).issues;
  throw usage(`${flag}: ${issues.map((i) => i.message).join('; ')}`);
}

/** Tags (normalised), name and notes as they will be sent; refuses what the API would refuse. */
export function checkEditOptions(options: EditOptions): {
  name?: string;
  notes?: string;
  add: string[];
  remove: string[];
} {
  if (
    options.name === undefined &&
    options.notes === undefined &&
    options.tag.length + options.untag.length === 0
  )
    throw usage('nothing to change: give --name, --notes, --tag or --untag');
  const name =
    options.name === undefined ? undefined : checked('--name', sessionNameSchema.safeParse(options.name));
  const add = options.tag.map((t) => checked(`--tag ${t}`, tagSchema.safeParse(t)));
  const remove = options.untag.map((t) => checked(`--untag ${t}`, tagSchema.safeParse(t)));
  return { name, notes: options.notes, add, remove };
}

export function formatEdited(s: SessionSummary): string {
  const tags = s.tags.length === 0 ? 'no tags' : `tags ${s.tags.join(', ')}`;
  const notes = s.notes === '' ? 'no notes' : `notes: ${s.notes.split('\n')[0]}`;
  return `session ${s.id}: ${s.name} (${tags}; ${notes}; ${formatBytes(s.sizeBytes)})`;
}

export function addEditCommand(program: Command, deps: EditCommandDeps): void {
  const collect = (value: string, previous: string[]): string[] => [...previous, value];
  program
    .command('edit')
    .description('rename a session, set its notes, or add and remove tags')
    .argument('<id>', 'session ID', deps.parseSessionId)
    .option('--name <text>', 'the new name (1–200 characters)')
    .option('--notes <text>', 'the new notes (replacing the old; "" clears them)')
    .option(
      '--tag <tag>',
      'add a tag (repeatable): a–z, 0–9, ".", "_", "-", up to 40 characters',
      collect,
      [],
    )
    .option('--untag <tag>', 'remove a tag (repeatable)', collect, [])
    .addOption(deps.dbOption())
    .option('--json', 'print the edited session as JSON')
    .action(async (id: number, options: EditOptions) => {
      const edit = checkEditOptions(options);
      const app = deps.openExistingApp(options.db);
      try {
        if (app === null) throw new ApiError('not-found', `session ${id} does not exist`);
        const current = (await app.dispatch('sessions.get', { id })) as SessionSummary;
        const tags =
          edit.add.length + edit.remove.length === 0
            ? undefined
            : [...new Set([...current.tags, ...edit.add])].filter((t) => !edit.remove.includes(t));
        const args = { id, name: edit.name, notes: edit.notes, tags };
        // The merged set can break the 20-tag rule; say so in the command's own terms.
        const valid = sessionUpdateSchema.safeParse(args);
        if (!valid.success) throw usage(describeZodError(valid.error));
        const summary = (await app.dispatch('sessions.update', valid.data)) as SessionSummary;
        if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else process.stdout.write(`${formatEdited(summary)}\n`);
      } finally {
        await app?.close();
      }
    });
}
