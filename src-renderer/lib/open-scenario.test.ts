import { describe, expect, it } from 'vitest';
import { draftScenario } from './open-scenario';
import { loadDraft } from './scenario-editor';

describe('draftScenario', () => {
  it('leaves the scenario as an open editor draft the New run form restores', () => {
    const items = new Map<string, string>();
    const storage = {
      setItem: (k: string, v: string) => void items.set(k, v),
      getItem: (k: string) => items.get(k) ?? null,
    };
    const scenario = { formatVersion: 1, name: 'fit-3' };

    draftScenario(storage, scenario, 'steady');

    const draft = loadDraft(storage);
    expect(draft).toMatchObject({ open: true, preset: 'steady' });
    expect(JSON.parse(draft!.text)).toEqual(scenario);
  });
});
