import { describe, expect, it } from 'vitest';
import { defuseXml, withBalancedTags, withoutDoctype, withoutOversizedPeople } from './defuse.js';

describe('withoutDoctype', () => {
  it('removes the declaration and its internal subset, whatever it holds', () => {
    const subset = '<!DOCTYPE rss [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n<!ENTITY y "a ] > b">\n<!-- ] > -->\n<?pi ] > ?>\n%p;\n]>';
    expect(withoutDoctype(`<?xml version="1.0"?>\n<!-- c -->${subset}\n<rss>&x;</rss>`)).toBe(
      '<?xml version="1.0"?>\n<!-- c -->\n<rss>&x;</rss>',
    );
    expect(withoutDoctype('<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://my.netscape.com/rss-0.91.dtd"><rss/>')).toBe(
      '<rss/>',
    );
  });

  it('looks only in the prolog, and leaves an unterminated declaration to the parser', () => {
    expect(withoutDoctype('<rss><!DOCTYPE x></rss>')).toBe('<rss><!DOCTYPE x></rss>');
    expect(withoutDoctype('<!DOCTYPE rss [ <!ENTITY x "y">')).toBe('<!DOCTYPE rss [ <!ENTITY x "y">');
  });
});

describe('withoutOversizedPeople', () => {
  it('empties an author too long to be a name and address, and leaves real ones alone', () => {
    const huge = '<('.repeat(5000);
    const text = `<channel><managingEditor>a@b.c (Ed)</managingEditor><item><author>${huge}</author><AUTHOR a="1">x@y.z</AUTHOR><author/></item></channel>`;
    expect(withoutOversizedPeople(text)).toBe(
      '<channel><managingEditor>a@b.c (Ed)</managingEditor><item><author></author><AUTHOR a="1">x@y.z</AUTHOR><author/></item></channel>',
    );
  });
});

describe('withBalancedTags', () => {
  it('leaves a well-formed document as it is, but for > in attribute values', () => {
    const text = '<rss a="1" b=\'2\'><![CDATA[ <x " ]]><!-- " < --><?pi "?><t>it\'s "quoted" & fine</t><e/></rss>';
    expect(withBalancedTags(text)).toBe(text);
    expect(withBalancedTags('<a title="x > y">t</a>')).toBe('<a title="x &gt; y">t</a>');
  });

  it('escapes < in attribute values, and makes a tag whose quote never closes text', () => {
    expect(withBalancedTags('<a title="x<y">t</a>')).toBe('<a title="x&lt;y">t</a>');
    expect(withBalancedTags('<d>x<y<z" w</d>')).toBe('<d>x&lt;y&lt;z" w</d>');
  });

  it('makes every < after a tag that cannot end text (a document cut off inside a tag)', () => {
    expect(withBalancedTags('<rss><item>a</item><item x<y<z')).toBe('<rss><item>a</item>&lt;item x&lt;y&lt;z');
  });

  it('stays linear on input built to make each < rescan the rest', () => {
    for (const text of ['<x "'.repeat(250_000), '"<x'.repeat(300_000), '<a' + ' x="1"'.repeat(150_000) + '>', `<'"`.repeat(300_000)]) {
      expect(withBalancedTags(text).length).toBeGreaterThanOrEqual(text.length);
    }
  });
});

describe('defuseXml', () => {
  it('applies all three', () => {
    expect(
      defuseXml(`<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><author>${'('.repeat(5000)}</author><a b="<">&x;</a></rss>`),
    ).toBe('<rss><author></author><a b="&lt;">&x;</a></rss>');
  });
});

describe('entities declared in the DOCTYPE', () => {
  it('expands internal ones in text and attributes, not in CDATA or comments; the first declaration binds', () => {
    const text =
      '<!DOCTYPE rss [<!ENTITY a "甲"><!ENTITY b \'&a;乙\'><!ENTITY a "丙"><!ENTITY amp "x">]><rss t="&b;">&a;&b;&amp;<![CDATA[&a;]]><!-- &a; --></rss>';
    expect(defuseXml(text)).toBe('<rss t="甲乙">甲甲乙&amp;<![CDATA[&a;]]><!-- &a; --></rss>');
  });

  it('never reads an external or parameter entity, and leaves its reference as written', () => {
    const text =
      '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY % p "q"><!ENTITY y PUBLIC "-//x" "http://x/">]><rss>&x;&y;%p;</rss>';
    expect(defuseXml(text)).toBe('<rss>&x;&y;%p;</rss>');
  });

  it('bounds an entity bomb: an entity too large, or built on one, stays a reference', () => {
    const levels = Array.from({ length: 9 }, (_, level) => `<!ENTITY l${level + 1} "${`&l${level};`.repeat(10)}">`).join('');
    const text = `<!DOCTYPE rss [<!ENTITY l0 "lol">${levels}]><rss>&l3;|&l9;</rss>`;
    const defused = defuseXml(text);
    expect(defused).toBe(`<rss>${'lol'.repeat(1000)}|&l9;</rss>`);
  });

  it('bounds what all the expansions together add', () => {
    const value = 'x'.repeat(60_000);
    const text = `<!DOCTYPE rss [<!ENTITY e "${value}">]><rss>${'&e;'.repeat(100)}</rss>`;
    const defused = defuseXml(text);
    expect(defused.length).toBeLessThan(1024 * 1024);
    expect(defused.endsWith('&e;</rss>')).toBe(true);
  });
});
