/** Colour and arrow words, the legend built from the plan's rules, and the "why this colour" text. */
import type { Arrow, Colour, Rules, StatusItem } from '../api/types'

export const COLOUR_LABEL: Record<Colour, string> = { done: '已完成', blue: '蓝', yellow: '黄', red: '红' }
export const COLOUR_HEX: Record<Colour, string> = {
  done: '#67c23a',
  blue: '#409eff',
  yellow: '#e6a23c',
  red: '#f56c6c',
}
/** The status colours dark enough to be text on white (WCAG AA, 4.5:1); COLOUR_HEX stays for marks and bars. */
export const COLOUR_TEXT: Record<Colour, string> = {
  done: '#2b7a2e',
  blue: '#1f5fae',
  yellow: '#8d5b00',
  red: '#b3261e',
}
export const ARROW_SIGN: Record<Arrow, string> = { up: '↑', down: '↓', same: '→' }
export const ARROW_LABEL: Record<Arrow, string> = { up: '好转', down: '变差', same: '持平' }
export const KIND_LABEL: Record<string, string> = { indicator: '指标', task: '任务', livelihood: '民生实事' }
export const COLOURS: Colour[] = ['done', 'blue', 'yellow', 'red']

export const DEFAULT_RULES: Rules = {
  red_gap: 30,
  units_see_full_ranking: 0,
  yellow_gap: 10,
  weight_done: 1,
  weight_blue: 1,
  weight_yellow: 0.6,
  weight_red: 0,
  late_penalty: 5,
  missing_penalty: 10,
  rectification_penalty: 5,
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1)
}

/** One legend line per colour and arrow, with the thresholds of this plan. */
export function legend(rules: Rules = DEFAULT_RULES): { key: string; label: string; rule: string }[] {
  return [
    { key: 'done', label: COLOUR_LABEL.done, rule: '任务已报完成并经审核通过' },
    {
      key: 'red',
      label: COLOUR_LABEL.red,
      rule: `已过完成时限仍未完成；或进度落后序时进度超过 ${num(rules.red_gap)} 个百分点；或最近两个报送期均未报送`,
    },
    {
      key: 'yellow',
      label: COLOUR_LABEL.yellow,
      rule: `进度落后序时进度超过 ${num(rules.yellow_gap)} 个百分点；或最近一个报送期未报送；或实施方案的节点到期未报完成`,
    },
    { key: 'blue', label: COLOUR_LABEL.blue, rule: '进度达到或快于序时进度' },
    {
      key: 'plan',
      label: '序时进度',
      rule: '按时间从计划开始到完成时限均匀计算；单位的实施方案经审核通过后，按方案各节点的形象进度计算（节点之间按日期线性，年初为 0），在报送期截止日（检查点）取值',
    },
    { key: 'up', label: `${ARROW_SIGN.up} ${ARROW_LABEL.up}`, rule: '颜色比上一报送期截止日好' },
    { key: 'down', label: `${ARROW_SIGN.down} ${ARROW_LABEL.down}`, rule: '颜色比上一报送期截止日差' },
    { key: 'same', label: `${ARROW_SIGN.same} ${ARROW_LABEL.same}`, rule: '颜色与上一报送期截止日相同' },
  ]
}

/**
 * Why a task has its colour. The server's `reason` is used when present; otherwise the rule is
 * rebuilt from the figures (progress p, schedule s, missing periods) following ledger.md.
 */
export function explain(item: StatusItem, rules: Rules = DEFAULT_RULES, today?: string, due?: string | null): string {
  if (item.assessed === false) return '不考核：保留在台账中，不计入颜色、统计和排名。'
  if (item.reason) return item.reason
  const p = num(item.progress)
  const s = num(item.schedule)
  const gap = item.schedule - item.progress
  const missing = item.missing_periods?.length ?? 0
  // A task without an approved report has no progress figure: 未报送 / 暂无报告, never 进度 0 (ledger.md).
  const progress = item.reported === false ? (item.missing ? '未报送' : '暂无报告') : `进度 ${p}`
  const figures = `${progress}，序时进度 ${s}`
  switch (item.colour) {
    case 'done':
      return `已完成：任务已报完成（${figures}）。`
    case 'red':
      if (due && today && today > due) return `红：已过完成时限 ${due} 仍未完成（${figures}）。`
      if (gap > rules.red_gap) return `红：${figures}，落后超过 ${num(rules.red_gap)} 个百分点。`
      if (missing >= 2) return `红：最近两个报送期均未报送（${figures}）。`
      return `红：${figures}。`
    case 'yellow':
      if (gap > rules.yellow_gap) return `黄：${figures}，落后超过 ${num(rules.yellow_gap)} 个百分点。`
      if (missing >= 1) return `黄：最近一个报送期未报送（${figures}）。`
      return `黄：${figures}。`
    default:
      return `蓝：${figures}，未落后于序时进度。`
  }
}
