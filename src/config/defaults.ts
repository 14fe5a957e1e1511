/**
 * Defaults of `newsstand.yml` that code outside config/ applies too, kept apart from the schema so that such
 * code (the HTML cleaner) takes the value without the schema's validation machinery.
 */

/** Hosts whose players may be embedded in an iframe (sandboxed) unless `embeds` in newsstand.yml says otherwise. */
export const DEFAULT_EMBED_HOSTS: readonly string[] = [
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'player.vimeo.com',
  'player.bilibili.com',
  'v.qq.com',
  'player.youku.com',
];
