// Runs independent spawned cases at once, a few at a time: all at once would only thrash a small CI machine.
import {availableParallelism} from 'node:os'

export const CLI_CONCURRENCY = Math.max(4, availableParallelism() * 2)

/** `fn` over every item, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function inParallel<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  limit = CLI_CONCURRENCY,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  const failures: unknown[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      try {
        results[i] = await fn(items[i], i)
      } catch (error) {
        failures.push(error)
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  if (failures.length > 0) throw failures[0]
  return results
}
