/**
 * Text that came from a feed, a page or an OPML file, made safe to write into `newsstand.yml` as it is:
 * the loader reads "${NAME}" as an environment variable, so "${" is written "$${".
 */
export function literal(text: string): string {
  // A function, not a replacement string: in one, "$$" means a single "$".
  return text.replaceAll('${', () => '$${');
}
