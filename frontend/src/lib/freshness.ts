/**
 * Guards a view against an older read overwriting newer state: a read started before a change (a mark-read,
 * a save) may answer after it, and must then be dropped rather than bring back what the change replaced.
 */
export interface Freshness {
  /** Call before and after every change the reads must not undo. */
  changed(): void
  /** Call when a read starts; the returned check says whether its answer is still the newest. */
  reading(): () => boolean
}

export function freshness(): Freshness {
  let version = 0
  return {
    changed() {
      version += 1
    },
    reading() {
      const startedAt = version
      return () => startedAt === version
    },
  }
}
