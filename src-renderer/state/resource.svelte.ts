import { toApiCallError, type ApiCallError } from '../lib/api-error';

/**
 * One asynchronous value with its loading and error state. A newer load supersedes an older
 * one still in flight, so a slow reply never overwrites a fresher one.
 */
export class Resource<T> {
  value = $state.raw<T | undefined>(undefined);
  error = $state.raw<ApiCallError | null>(null);
  loading = $state(false);
  #generation = 0;

  async load(fetcher: () => Promise<T>, options: { keepValue?: boolean } = {}): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    if (!options.keepValue) this.value = undefined;
    try {
      const value = await fetcher();
      if (generation !== this.#generation) return;
      this.value = value;
      this.error = null;
    } catch (reason) {
      if (generation !== this.#generation) return;
      this.error = toApiCallError(reason);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
