/**
 * The rel="next" URL from Link headers. Okta sends self and next as two headers, which fetch
 * joins with ", "; URLs are inside <…>, so splitting on the brackets is safe even when a URL
 * holds commas (a filter expression).
 */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,<]*)*)/g)) {
    if (/;\s*rel\s*=\s*"?next"?/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}
