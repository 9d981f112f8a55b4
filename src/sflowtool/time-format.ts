/** The local-time stamps sflowtool prints (strftime in the TZ of the process, as C's localtime gives). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function zone(d: Date): string {
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${two(Math.floor(a / 60))}${two(a % 60)}`;
}

/** Datagrams alternate between two stamps (read time and capture time) and mostly share a second. */
const isoCache = new Map<number, string>();

/** "%Y-%m-%dT%H:%M:%S%z". */
export function isoLocal(sec: number): string {
  let text = isoCache.get(sec);
  if (text === undefined) {
    const d = new Date(sec * 1000);
    text = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(
      d.getMinutes(),
    )}:${two(d.getSeconds())}${zone(d)}`;
    if (isoCache.size > 64) isoCache.clear();
    isoCache.set(sec, text);
  }
  return text;
}

/** "%d/%b/%Y:%H:%M:%S %z", the combined log format's. */
export function clfLocal(sec: number): string {
  const d = new Date(sec * 1000);
  return `${two(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())} ${zone(d)}`;
}
