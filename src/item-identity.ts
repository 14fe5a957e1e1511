import { hash } from 'node:crypto';
import type { FeedItem } from './item.js';

/**
 * The stable id of an item: a hash of its source and its guid, else its link, else its title and date.
 * 16 hex digits — short enough for file names, 64 bits against collisions within one site.
 */
export function itemId(sourceKey: string, item: Pick<FeedItem, 'guid' | 'link' | 'title' | 'published' | 'updated'>): string {
  const date = item.published ?? item.updated;
  const identity = item.guid || item.link || `${item.title}\u0000${date ? date.toISOString() : ''}`;
  return hash('sha256', `${sourceKey}\u0000${identity}`, 'hex').slice(0, 16);
}

// Query parameters that say how a reader arrived, not which article it is: campaign tags, click ids, share
// sources (WeChat, Bilibili, Weibo, Alibaba's spm/scm). Matched whole, case-insensitively.
const TRACKING_PARAMETER = new RegExp(
  `^(?:${[
    'utm_[a-z_]+',
    'fbclid',
    'gclid',
    'gclsrc',
    'dclid',
    'msclkid',
    'yclid',
    'igshid',
    'twclid',
    'ttclid',
    'mc_cid',
    'mc_eid',
    '_hsenc',
    '_hsmi',
    'mkt_tok',
    'oly_anon_id',
    'oly_enc_id',
    'vero_id',
    'rb_clickid',
    'wt\\.mc_id',
    's_cid',
    'cmpid',
    'ncid',
    'xtor',
    'at_medium',
    'at_campaign',
    'ref_src',
    'ref_url',
    'spm',
    'scm',
    'from',
    'isappinstalled',
    'chksm',
    'scene',
    'subscene',
    'clicktime',
    'enterid',
    'sharer_[a-z]+',
    'share_[a-z_]+',
    'vd_source',
    'wfr',
    'weibo_id',
  ].join('|')})$`,
  'i',
);

/**
 * The form of a link used to spot the same article arriving from two sources: scheme and host in lower
 * case, http and https alike, no fragment, no trailing slash on the path, no tracking parameters, the
 * remaining query parameters in a stable order.
 */
export function linkKey(link: string): string {
  if (!link) return '';
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.href;
  url.protocol = 'https:';
  url.hash = '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
  const kept = [...url.searchParams].filter(([name]) => !TRACKING_PARAMETER.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  return url.href;
}
