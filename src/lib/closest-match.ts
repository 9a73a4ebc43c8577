// "Did you mean …?": the candidate nearest to what was typed, for a mistyped scope and a mistyped command alike.

/** The candidate closest to `input` by edit distance (case-insensitive on `input`); the first one on a tie. */
export function closestMatch(input: string, candidates: readonly string[]): string {
  let best = candidates[0]
  let bestDistance = Number.POSITIVE_INFINITY
  const needle = input.toLowerCase()
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    previous = current
  }
  return previous[b.length]
}
