/**
 * Which image of an article can stand for it on a card (`headimg`, `thumbnail`): a photo, not the
 * author's avatar, a share button, a smiley or a site logo.
 */

import { isOnHost } from './images.js';

/** Below this many pixels in either direction (when the page says), an image is decoration. */
export const MIN_LEAD_IMAGE_PIXELS = 100;

// Words that name decoration in class names and file paths; matched as whole words of the path.
const DECORATION_WORDS =
  'avatars?|gravatar|icons?|favicon|emoji|emojis|emoticons?|smiley|smilies|twemoji|logos?|badges?|buttons?|spinner|loading|sprites?|qrcode';
const DECORATION_IN_PATH = new RegExp(`(?:^|[/_.=-])(?:${DECORATION_WORDS})(?:[/_.=-]|\\d|$)`, 'i');
const DECORATION_CLASS = new RegExp(`(?:^|[\\s_-])(?:${DECORATION_WORDS}|wp-smiley|avatar-\\d+)(?:[\\s_-]|$)`, 'i');
const DECORATION_HOSTS = ['gravatar.com', 's.w.org', 'twemoji.maxcdn.com', 'emoji.slack-edge.com', 'github.githubassets.com'];
// A lone emoji as alt text: WordPress and Twemoji write the character an image replaces into alt.
const EMOJI_ALT = /^\p{Extended_Pictographic}(?:\uFE0F|\u200D|\p{Extended_Pictographic}|\p{Emoji_Modifier})*$/u;

/** True when an `<img>` with this (absolute http) source and these attributes can be the lead image. */
export function isLeadImageCandidate(
  src: string,
  attributes: ReadonlyMap<string, string>,
  dimensions: { width: number | null; height: number | null },
): boolean {
  const { width, height } = dimensions;
  if ((width !== null && width < MIN_LEAD_IMAGE_PIXELS) || (height !== null && height < MIN_LEAD_IMAGE_PIXELS)) return false;
  if (DECORATION_CLASS.test(attributes.get('class') ?? '')) return false;
  if (EMOJI_ALT.test((attributes.get('alt') ?? '').trim())) return false;
  const url = URL.parse(src);
  if (!url || isOnHost(url, DECORATION_HOSTS)) return false;
  return !DECORATION_IN_PATH.test(url.pathname);
}
