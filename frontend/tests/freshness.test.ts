import { describe, expect, it } from 'vitest'
import { freshness } from '../src/lib/freshness'

describe('freshness', () => {
  it('keeps a read that no change overtook', () => {
    const guard = freshness()
    const stillNewest = guard.reading()
    expect(stillNewest()).toBe(true)
  })

  it('drops a read started before a change that ended before it answered', () => {
    const guard = freshness()
    const stillNewest = guard.reading() // the bell opens: a read of 2 unread starts
    guard.changed() // a notice is opened: the mark starts …
    guard.changed() // … and answers 1 unread
    expect(stillNewest()).toBe(false) // the read's 2 arrives last and is dropped
    expect(guard.reading()()).toBe(true) // a read after the mark counts again
  })

  it('drops a read started while a change was on its way', () => {
    const guard = freshness()
    guard.changed()
    const stillNewest = guard.reading()
    guard.changed()
    expect(stillNewest()).toBe(false)
  })
})
