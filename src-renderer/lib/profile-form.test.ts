import { describe, expect, it } from 'vitest';
import { EMPTY_PROFILE_FORM, fieldOfServerError, splitArgs, validateProfileForm } from './profile-form';

describe('splitArgs', () => {
  it('splits words as a shell does: quotes group, a backslash escapes, nothing expands', () => {
    expect(splitArgs(`-total 64  -name "my server" 'a b' c\\ d "" $HOME`)).toEqual([
      '-total',
      '64',
      '-name',
      'my server',
      'a b',
      'c d',
      '',
      '$HOME',
    ]);
    expect(splitArgs('   ')).toEqual([]);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitArgs('-name "my server')).toThrow('an unclosed double quote');
  });
});

describe('validateProfileForm', () => {
  it('makes a request of the command, its arguments, and the name and directory when given', () => {
    expect(validateProfileForm({ command: ' ./churn ', args: '-total 64', name: '', cwd: '' })).toEqual({
      ok: true,
      request: { command: './churn', args: ['-total', '64'] },
    });
    expect(validateProfileForm({ command: 'go', args: '', name: 'api', cwd: '/srv' })).toEqual({
      ok: true,
      request: { command: 'go', args: [], name: 'api', cwd: '/srv' },
    });
  });

  it('says which field is wrong and what it expects', () => {
    const result = validateProfileForm({ ...EMPTY_PROFILE_FORM, args: "'x" });
    expect(result).toEqual({
      ok: false,
      errors: {
        command: 'Command: expected the program to run (a path, or a name on PATH)',
        args: 'Arguments: an unclosed single quote; close it or escape it with \\',
      },
    });
    const many = validateProfileForm({ ...EMPTY_PROFILE_FORM, command: 'go', args: 'x '.repeat(257) });
    expect(many).toMatchObject({ ok: false, errors: { args: 'Arguments: at most 256' } });
  });

  it('finds the field a server refusal is about', () => {
    expect(fieldOfServerError('cwd: expected an existing directory, found no directory at /x')).toBe('cwd');
    expect(fieldOfServerError('programs.start: args.0: expected each argument as a string')).toBe('args');
    expect(fieldOfServerError('command: cannot start churn: command not found')).toBe('command');
    expect(fieldOfServerError('something else')).toBeNull();
  });
});
