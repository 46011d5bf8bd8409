/**
 * Opening a scenario that is not a preset (one fitted to a trace, one a simulation recorded) in
 * the New run form's editor: the editor restores its draft from sessionStorage when the form
 * mounts, so the scenario is written there as an edited draft of a preset the form knows.
 */
import { saveDraft, scenarioText } from './scenario-editor';

export function draftScenario(
  storage: Pick<Storage, 'setItem'> | null,
  scenario: unknown,
  preset: string,
): void {
  saveDraft(storage, { open: true, preset, text: scenarioText(scenario) });
}

export function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
