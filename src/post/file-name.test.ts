import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postBaseName, slug } from './file-name.js';

const date = new Date('2025-06-01T12:00:00Z');
const facts = (title: string, id = '4206ef1ae22bb898') => ({ date, id, title, source: 'Source 源' });

describe('postBaseName', () => {
  it('takes only [a-z0-9-] from feed data: no separator, no dot-dot, no hidden file', () => {
    for (const title of ['../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', '..', '.htaccess', '%2e%2e%2f', '\u0000x', '']) {
      for (const pattern of [':title-:id', ':title.:id', ':id.:title', ':year-:month-:day-:title-:id']) {
        const name = postBaseName(pattern, facts(title));
        expect(name, `${pattern} ${JSON.stringify(title)}`).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
        expect(name).not.toContain('..');
        expect(path.basename(path.join('/posts', `${name}.md`))).toBe(`${name}.md`);
      }
    }
  });

  it('never names a Windows device (CON, NUL, aux.txt…), whatever follows the first dot', () => {
    expect(postBaseName(':title.:id', facts('NUL'))).toBe('post-nul.4206ef1ae22bb898');
    expect(postBaseName(':title.:id', facts('aux.txt'))).toBe('aux-txt.4206ef1ae22bb898'); // the title's dot is not kept
    expect(postBaseName(':title.:id', facts('Com1'))).toBe('post-com1.4206ef1ae22bb898');
    expect(postBaseName(':title-:id', facts('con'))).toBe('con-4206ef1ae22bb898');
    expect(postBaseName(':title', facts('LPT1', ''))).toBe('post-lpt1');
    expect(postBaseName(':title', facts('', ''))).toBe('post');
  });

  it('keeps the slug of a megabyte title short', () => {
    const name = postBaseName(':title-:id', facts('Breaking news '.repeat(100_000)));
    expect(name).toBe(`${slug('Breaking news '.repeat(5))}-4206ef1ae22bb898`);
    expect(name.length).toBeLessThanOrEqual(60 + 17);
  });
});
