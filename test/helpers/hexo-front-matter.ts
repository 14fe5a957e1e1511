import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** Hexo's own copy of hexo-front-matter (Hexo 8 ships its own version, which is what renders posts). */
const hexoFrontMatter = require(require.resolve('hexo-front-matter', { paths: [dirname(require.resolve('hexo/package.json'))] })) as {
  parse(text: string): Record<string, unknown> & { _content: string };
};

export function parseWithHexo(text: string): Record<string, unknown> & { _content: string } {
  return hexoFrontMatter.parse(text);
}
