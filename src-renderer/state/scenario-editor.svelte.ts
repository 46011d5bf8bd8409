import { api } from '../lib/api';
import { toApiCallError } from '../lib/api-error';
import {
  checkStep,
  editorVerdict,
  initialCheck,
  loadDraft,
  saveDraft,
  scenarioText,
  type CheckInput,
  type CheckState,
} from '../lib/scenario-editor';

/** Typing pauses shorter than this are still typing; each check is a round trip to the server. */
const SETTLE_MS = 300;

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The New run form's scenario JSON: the text, which preset it started from, and the check loop
 * of `lib/scenario-editor.ts` driven by a timer and `scenarios.validate`. Every change is saved
 * to sessionStorage; a new editor starts from what was saved.
 */
export class ScenarioEditor {
  open = $state(false);
  text = $state('');
  /** The preset the text started from; null until one is loaded. */
  preset = $state<string | null>(null);
  /** That preset's text as loaded, to tell edits apart; null while not known. */
  presetText = $state<string | null>(null);
  loadError = $state<string | null>(null);
  check = $state.raw<CheckState>(initialCheck(''));

  /** A restored draft counts as edited until its preset's text is known. */
  readonly edited = $derived(this.presetText === null ? this.text !== '' : this.text !== this.presetText);
  readonly verdict = $derived(editorVerdict(this.check));

  #storage = sessionStorageOrNull();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor() {
    const draft = loadDraft(this.#storage);
    if (!draft) return;
    this.open = draft.open;
    this.preset = draft.preset;
    this.#setText(draft.text);
    void this.#fetchPreset(draft.preset).then((text) => {
      if (text !== null && this.preset === draft.preset) this.presetText = text;
    });
  }

  /** Opens the editor; it starts from `preset` unless it already holds text. */
  show(preset: string): void {
    this.open = true;
    this.#save();
    if (this.preset === null || (this.preset !== preset && !this.edited)) void this.reset(preset);
  }

  hide(): void {
    this.open = false;
    this.#save();
  }

  /** Replaces the text with the preset's JSON. */
  async reset(preset: string): Promise<void> {
    const generation = ++this.#generation;
    this.loadError = null;
    const text = await this.#fetchPreset(preset);
    if (generation !== this.#generation || text === null) return;
    this.preset = preset;
    this.presetText = text;
    this.#setText(text);
  }

  edit(text: string): void {
    this.#setText(text);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  async #fetchPreset(name: string): Promise<string | null> {
    try {
      const { scenario } = await api.call('scenarios.get', { name });
      return scenarioText(scenario);
    } catch (reason) {
      this.loadError = toApiCallError(reason).message;
      return null;
    }
  }

  #setText(text: string): void {
    this.text = text;
    this.#step({ type: 'edit', text });
    this.#save();
    clearTimeout(this.#timer);
    const seq = this.check.seq;
    this.#timer = setTimeout(() => this.#settle(seq), SETTLE_MS);
  }

  #settle(seq: number): void {
    this.#step({ type: 'settled', seq });
    const state = this.check;
    if (state.phase !== 'validating' || state.seq !== seq) return;
    api.call('scenarios.validate', { scenario: state.scenario }).then(
      (check) => this.#step({ type: 'validated', seq, check }),
      (reason) => this.#step({ type: 'validate-failed', seq, reason: toApiCallError(reason).message }),
    );
  }

  #step(input: CheckInput): void {
    this.check = checkStep(this.check, input);
  }

  #save(): void {
    if (this.preset === null) return;
    saveDraft(this.#storage, { open: this.open, preset: this.preset, text: this.text });
  }
}
