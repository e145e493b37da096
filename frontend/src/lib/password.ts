/** The rules of a new password the page checks before sending (the server checks the length again). */
export const MIN_PASSWORD = 8

/** What is wrong with the 修改密码 form, in words, or '' when it may be sent. */
export function passwordProblem(old: string, next: string, again: string): string {
  if (!old || !next || !again) return '请填写原密码和两次新密码'
  if (next.length < MIN_PASSWORD) return `新密码至少 ${MIN_PASSWORD} 位`
  if (next !== again) return '两次输入的新密码不一致'
  if (next === old) return '新密码不能与原密码相同'
  return ''
}
