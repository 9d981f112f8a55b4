/** What every view is: a page of the dashboard, mounted into the main element and torn down on leaving. */

export interface ViewContext {
  /** The time range chosen in the header, in minutes (5 or 60). */
  minutes(): number;
  /** What follows the view's name in the address (#/host/10.0.0.1 → ['10.0.0.1']). */
  params: string[];
  /** Goes to another view (#/host/…). */
  go(hash: string): void;
}

export interface View {
  id: string;
  title: string;
  /** Listed in the header (a drill-down such as the host page is reached by clicking, not listed). */
  nav: boolean;
  /** Builds the page into `root`; returns what stops its polling and frees its charts. */
  mount(root: HTMLElement, ctx: ViewContext): () => void;
}

/** How often live views refresh. */
export const REFRESH_MS = 1000;
