/** The panel follows the DevTools theme: Chromium says 'default' or 'dark', Firefox 'light' or 'dark'. */
export type Theme = 'light' | 'dark';

export function themeFromName(name: string | undefined | null): Theme {
  return name === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}
