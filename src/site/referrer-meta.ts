/**
 * A page's HTML with `<meta name="referrer" content="no-referrer">` as the first thing in its `<head>`, so
 * that every image on it — the theme's own covers and thumbnails too, which carry no `referrerpolicy` — is
 * requested without a Referer, as hot-link-protected image hosts require. A page that states a referrer
 * policy of its own, and HTML that has no `<head>`, are left as they are.
 */
export function withReferrerMeta(html: string): string {
  if (REFERRER_META.test(html)) return html;
  const head = HEAD_TAG.exec(html);
  if (!head) return html;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}<meta name="referrer" content="no-referrer">${html.slice(at)}`;
}

const HEAD_TAG = /<head(?:\s[^>]*)?>/i;
const REFERRER_META = /<meta\s[^>]*name\s*=\s*["']?referrer["'\s>]/i;
