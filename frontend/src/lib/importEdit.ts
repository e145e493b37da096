/** The 导入 page edits a task's units as one line of text, "单位（牵头）、单位（协办）"; these convert both ways. */
export const ROLE_LABEL: Record<string, string> = { lead: '牵头', responsible: '责任', support: '协办' }
const ROLE_CODE: Record<string, string> = { 牵头: 'lead', 责任: 'responsible', 协办: 'support' }

export function formatUnits(units: { name: string; role: string }[]): string {
  return units.map((u) => `${u.name}（${ROLE_LABEL[u.role] ?? u.role}）`).join('、')
}

/** Names without a role in brackets are 责任 units. */
export function parseUnits(text: string): { name: string; role: string }[] {
  return text
    .split(/[、,，;；]/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const m = x.match(/^(.*?)[（(](牵头|责任|协办)[）)]$/)
      return m ? { name: m[1].trim(), role: ROLE_CODE[m[2]] } : { name: x, role: 'responsible' }
    })
}
