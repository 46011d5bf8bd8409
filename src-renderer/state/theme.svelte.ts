export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'heapscope.theme';

function readStored(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Light or dark. Until the user picks one the system preference rules, live; a pick is kept in
 * localStorage. The attribute is set synchronously so charts that read CSS variables in an effect
 * already see the new palette.
 */
class ThemeState {
  current = $state<Theme>('light');
  #chosen = false;

  init(): void {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const stored = readStored();
    this.#chosen = stored !== null;
    this.#apply(stored ?? (media.matches ? 'dark' : 'light'));
    media.addEventListener('change', (event) => {
      if (!this.#chosen) this.#apply(event.matches ? 'dark' : 'light');
    });
  }

  toggle(): void {
    this.#chosen = true;
    this.#apply(this.current === 'dark' ? 'light' : 'dark');
    try {
      localStorage.setItem(STORAGE_KEY, this.current);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }

  #apply(theme: Theme): void {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
    this.current = theme;
  }
}

export const theme = new ThemeState();
