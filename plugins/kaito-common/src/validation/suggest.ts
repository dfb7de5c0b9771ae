import { distance } from 'fastest-levenshtein';

/** Names longer than this are not compared (nobody mistypes a 200-character field). */
const MAX_COMPARED_LENGTH = 100;

/**
 * The known name closest to a mistyped one, by edit distance ignoring case
 * (`dryrun` for `dryRun`, `tailLine` for `tailLines`), or undefined when none
 * is close: at most a third of the known name's length may differ (at least
 * one character).
 *
 * @public
 */
export function closestName(
  name: string,
  known: readonly string[],
): string | undefined {
  if (name.length === 0 || name.length > MAX_COMPARED_LENGTH) {
    return undefined;
  }
  const wanted = name.toLocaleLowerCase('en-US');
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(wanted, candidate.toLocaleLowerCase('en-US'));
    const allowed = Math.max(1, Math.floor(candidate.length / 3));
    if (d <= allowed && (!best || d < best.distance)) {
      best = { name: candidate, distance: d };
    }
  }
  return best?.name;
}
