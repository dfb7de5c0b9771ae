/**
 * A tokenizer stand-in: counts word pieces the way a BPE tokenizer roughly
 * does (about one token per 4 characters, at least one per word), so usage
 * figures are stable and plausible.
 */
export function countTokens(text: string): number {
  const words = text.split(/\s+/).filter(Boolean);
  return words.reduce(
    (sum, word) => sum + Math.max(1, Math.ceil(word.length / 4)),
    0,
  );
}

/** Splits a reply into the chunks a streaming server would send (words with their spacing). */
export function streamPieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
