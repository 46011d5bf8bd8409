/** "Did you mean …?" for names typed by a user: presets and collectors on the command line, fields in a scenario file. */

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `typed`, if it is close enough to be a typo: within a third of the
 * name's length in edits, or a candidate the typed text is a prefix of.
 */
export function nearestName(typed: string, candidates: readonly string[]): string | null {
  const lower = typed.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(lower) ? 0.5 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

/** `unknown scenario "stedy" (did you mean "steady"?); valid scenarios: …` */
export function unknownNameMessage(kind: string, typed: string, candidates: readonly string[]): string {
  const nearest = nearestName(typed, candidates);
  const hint = nearest === null ? '' : ` (did you mean "${nearest}"?)`;
  return `unknown ${kind} "${typed}"${hint}; valid ${kind}s: ${candidates.join(', ')}`;
}
