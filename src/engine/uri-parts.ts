/**
 * The parts of a URL that sFlow-RT's `uri:` key function extracts (blog.sflow.com/2016/08: normalized, scheme,
 * user, authority, host, port, path, file, extension, query, fragment, isabsolute, isopaque). sFlow-RT runs on
 * Java, whose java.net.URI these names follow; the split here is RFC 3986's (appendix B), and `normalized` its
 * dot-segment removal (§5.2.4), which is what URI.normalize does.
 */

/** RFC 3986 appendix B: scheme, authority, path, query, fragment. */
const URI = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

export const URI_PARTS = [
  'normalized',
  'scheme',
  'user',
  'authority',
  'host',
  'port',
  'path',
  'file',
  'extension',
  'query',
  'fragment',
  'isabsolute',
  'isopaque',
] as const;

export type UriPart = (typeof URI_PARTS)[number];

/** The host and port of an authority (`user@host:port`, `[v6]:port`). */
function hostPort(authority: string): { user: string | undefined; host: string; port: string | undefined } {
  const at = authority.lastIndexOf('@');
  const user = at < 0 ? undefined : authority.slice(0, at);
  const rest = authority.slice(at + 1);
  const close = rest.lastIndexOf(']');
  const colon = rest.lastIndexOf(':');
  if (colon > close && /^\d+$/.test(rest.slice(colon + 1)))
    return { user, host: rest.slice(0, colon), port: rest.slice(colon + 1) };
  return { user, host: rest, port: undefined };
}

/** RFC 3986 §5.2.4: a path without its `.` and `x/..` segments. */
export function removeDotSegments(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = absolute ? 1 : 0; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      if (last) out.push('');
    } else {
      out.push(s);
    }
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** One part of `url`, or undefined when the URL does not have it. */
export function uriPart(url: string, part: UriPart): string | undefined {
  const m = URI.exec(url);
  if (m === null) return undefined;
  const [, scheme, authority, path, query, fragment] = m;
  switch (part) {
    case 'scheme':
      return scheme;
    case 'authority':
      return authority || undefined;
    case 'user':
      return authority === undefined ? undefined : hostPort(authority).user;
    case 'host':
      return authority ? hostPort(authority).host || undefined : undefined;
    case 'port':
      return authority === undefined ? undefined : hostPort(authority).port;
    case 'path':
      return scheme !== undefined && authority === undefined && !path.startsWith('/') ? undefined : path;
    case 'file': {
      if (path === '') return undefined;
      return path.slice(path.lastIndexOf('/') + 1);
    }
    case 'extension': {
      const file = path.slice(path.lastIndexOf('/') + 1);
      const dot = file.lastIndexOf('.');
      return dot < 0 ? undefined : file.slice(dot + 1);
    }
    case 'query':
      return query;
    case 'fragment':
      return fragment;
    case 'isabsolute':
      return scheme === undefined ? 'false' : 'true';
    case 'isopaque':
      return scheme !== undefined && authority === undefined && !path.startsWith('/') ? 'true' : 'false';
    case 'normalized': {
      let s = scheme === undefined ? '' : `${scheme}:`;
      if (authority !== undefined) s += `//${authority}`;
      s += removeDotSegments(path);
      if (query !== undefined) s += `?${query}`;
      if (fragment !== undefined) s += `#${fragment}`;
      return s;
    }
  }
}
