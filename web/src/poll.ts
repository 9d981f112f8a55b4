/**
 * A view's live updates: `fn` now and then every `ms`, never two at once (a slow answer delays the next
 * rather than piling up), stopped when the view goes. Errors are shown in the page's status line and the
 * polling goes on.
 */
export function every(ms: number, fn: () => Promise<void>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    if (stopped) return;
    try {
      await fn();
      status('');
    } catch (e) {
      status(e instanceof Error ? e.message : String(e));
    }
    if (!stopped) timer = setTimeout(run, ms);
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function status(text: string): void {
  const el = document.getElementById('status');
  if (el && el.textContent !== text) {
    el.textContent = text;
    el.className = text ? 'error' : '';
  }
}
