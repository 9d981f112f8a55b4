/** The local-time stamps sflowtool prints (strftime in the TZ of the process, as C's localtime gives). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function zone(d: Date): string {
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${two(Math.floor(a / 60))}${two(a % 60)}`;
}

let lastIso = -1;
let lastIsoText = '';

/** "%Y-%m-%dT%H:%M:%S%z"; consecutive datagrams mostly share a second, so the last one is kept. */
export function isoLocal(sec: number): string {
  if (sec === lastIso) return lastIsoText;
  const d = new Date(sec * 1000);
  lastIsoText = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())}${zone(d)}`;
  lastIso = sec;
  return lastIsoText;
}

/** "%d/%b/%Y:%H:%M:%S %z", the combined log format's. */
export function clfLocal(sec: number): string {
  const d = new Date(sec * 1000);
  return `${two(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())} ${zone(d)}`;
}
