/**
 * 登录 in a dialog when a session ends in the middle of a write (e.g. a unit typing a long report): the write
 * waits for the answer and is sent again, so nothing typed is lost. One dialog for any number of waiting writes.
 */
import { reactive } from 'vue'

export const reauth = reactive({ open: false, username: '' })
let waiting: ((ok: boolean) => void)[] = []

export function askLogin(username: string): Promise<boolean> {
  reauth.username = username
  reauth.open = true
  return new Promise((resolve) => waiting.push(resolve))
}

export function finishLogin(ok: boolean): void {
  reauth.open = false
  const done = waiting
  waiting = []
  for (const resolve of done) resolve(ok)
}
