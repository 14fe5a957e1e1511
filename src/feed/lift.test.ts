import { describe, expect, it } from 'vitest';
import { liftWildForms } from './lift.js';

const RSS = { format: 'rss2', root: 'rss', prefix: '' } as const;
const ATOM03 = { format: 'atom03', root: 'feed', prefix: '' } as const;
const ENCODED = '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">';

describe('liftWildForms', () => {
  it('passes an ordinary feed through as it is', () => {
    const text =
      '<rss version="2.0"><channel><item><title>a</title><description><![CDATA[<body><p>x</p></body>]]></description><category>c</category></item></channel></rss>';
    expect(liftWildForms(text, RSS)).toBe(text);
  });

  it('makes the first <body>, <xhtml:body> or <fullitem> of an item its content:encoded', () => {
    expect(liftWildForms('<item><body><p>x</p></body></item>', RSS)).toBe(`<item>${ENCODED}<p>x</p></content:encoded></item>`);
    expect(liftWildForms('<item><x:body xmlns:x="http://www.w3.org/1999/xhtml"><x:p>y</x:p></x:body></item>', RSS)).toBe(
      `<item>${ENCODED}<p>y</p></content:encoded></item>`,
    );
    expect(liftWildForms('<item><fullitem><![CDATA[<p>z</p></fullitem>]]></fullitem><fullitem>2</fullitem></item>', RSS)).toBe(
      `<item>${ENCODED}<![CDATA[<p>z</p></fullitem>]]></content:encoded><fullitem>2</fullitem></item>`,
    );
    expect(liftWildForms('<item><body/><fullitem>a</fullitem></item>', RSS)).toBe('<item><fullitem>a</fullitem></item>');
  });

  it('leaves the body of an item that has content:encoded, and bodies outside items', () => {
    const text = '<channel><body>c</body><item><content:encoded>e</content:encoded><body>b</body></item></channel>';
    expect(liftWildForms(text, RSS)).toBe(text);
  });

  it("drops the root's prefix from every element, but not inside CDATA or comments", () => {
    const text = '<r:rss xmlns:r="u"><r:channel><!-- <r:x> --><r:title><![CDATA[<r:b>]]></r:title></r:channel></r:rss>';
    expect(liftWildForms(text, { ...RSS, prefix: 'r' })).toBe(
      '<rss xmlns:r="u"><channel><!-- <r:x> --><title><![CDATA[<r:b>]]></title></channel></rss>',
    );
  });

  it('unwraps <categories> and reads dc:author as dc:creator', () => {
    expect(liftWildForms('<item><categories><category>a</category></categories><dc:author>x</dc:author></item>', RSS)).toBe(
      '<item><category>a</category><dc:creator>x</dc:creator></item>',
    );
  });

  it("leaves RDF's prefixes alone", () => {
    const text = '<rdf:RDF xmlns:rdf="r"><item><body>b</body></item></rdf:RDF>';
    expect(liftWildForms(text, { format: 'rss1', root: 'rdf', prefix: 'rdf' })).toBe(text);
  });

  it('gives an Atom category written as text its term, and keeps a term that is there', () => {
    expect(
      liftWildForms('<entry><category>数据 &amp; "库"</category><category term="t">x</category><category term="u"/></entry>', ATOM03),
    ).toBe('<entry><category term="数据 &amp; &quot;库&quot;"/><category term="t">x</category><category term="u"/></entry>');
  });

  it('decodes Atom 0.3 base64 text into escaped text, and leaves what is not base64', () => {
    const encoded = Buffer.from('<p>中 & 文</p>').toString('base64');
    expect(liftWildForms(`<content type="text/html" mode="base64">\n${encoded}\n</content>`, ATOM03)).toBe(
      '<content type="text/html" mode="escaped">&lt;p&gt;中 &amp; 文&lt;/p&gt;</content>',
    );
    expect(liftWildForms('<content mode="base64">not base64!</content>', ATOM03)).toBe('<content mode="base64">not base64!</content>');
  });

  it('stays linear on many unclosed look-alikes (a quadratic scan would time the test out)', () => {
    const text = `<rss><channel><item>${'<body <category>x <content mode="base64">'.repeat(30_000)}</item></channel></rss>`;
    expect(liftWildForms(text, ATOM03)).toBe(text);
    expect(liftWildForms(text, RSS).split('<content:encoded').length).toBe(2);
  });
});
