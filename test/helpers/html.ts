import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

export interface ElementSummary {
  tag: string;
  text: string;
  src?: string;
  referrerpolicy?: string;
}

/** Every element of an HTML fragment in document order, with its text and (for images) source. */
export function elementsOf(html: string): ElementSummary[] {
  const out: ElementSummary[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node) {
      const element = node as Element;
      const attribute = (name: string) => element.attrs.find((a) => a.name === name)?.value;
      const summary: ElementSummary = { tag: element.tagName, text: normalizeSpace(textOf(element)) };
      if (element.tagName === 'img') {
        summary.src = attribute('src');
        summary.referrerpolicy = attribute('referrerpolicy');
      }
      out.push(summary);
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parseFragment(html));
  return out;
}

export function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
