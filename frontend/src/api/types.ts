/** JSON shapes of the duban API (see src/duban/web/routers/*.py and frontend/API-NEEDS.md). */
export type Colour = 'done' | 'blue' | 'yellow' | 'red'
export type Arrow = 'up' | 'down' | 'same'
export type Role = 'admin' | 'leader' | 'unit'

export interface List<T> {
  items: T[]
  total: number
  page?: number
  size?: number
}
export interface Me {
  id: number
  username: string
  role: Role
  role_label: string
  unit: number | null
  /** the account's 行政区; null: the whole installation */
  jurisdiction_id?: number | null
  csrf_token?: string
  /** an initial password from the office: the app asks for a new one before anything else */
  must_change_password?: boolean
}
/** 账号, as the office's 账号 page lists it */
export interface Account {
  id: number
  username: string
  role: Role
  unit: number | null
  active: boolean
  jurisdiction_id: number | null
  created_at: string
  must_change_password: boolean
}
/** A new account or a reset: the initial password, shown once */
export interface AccountWithPassword extends Account {
  initial_password: string
  unit_name?: string
}
export interface ApiTokenInfo {
  id: number
  username: string
  name: string
  created_at: string
  revoked_at: string | null
}
/** 行政区: a county or city owning plans, a unit directory and accounts */
export interface Jurisdiction {
  id: number
  name: string
  path: string
  level: string
  parent_id: number | null
  plans: number
  own: boolean
}
/** One county in a city's comparison (GET /api/jurisdictions/{id}/comparison). */
export interface CountyRow {
  jurisdiction_id: number
  name: string
  plans: number
  tasks: number
  colours: Record<string, number>
  reports_due: number
  reports_on_time: number
  on_time_rate: number | null
  score: number | null
  rank: number | null
}
export interface CountyComparison {
  jurisdiction: Jurisdiction
  on: string
  year: number | null
  items: CountyRow[]
}
export interface Plan {
  id: number
  title: string
  year: number
  doc_number: string | null
  issuer: string | null
  state: string
  jurisdiction_id?: number | null
  tasks?: number
  sections?: { key: string; number: string | null; title: string; level: number; parent: string | null }[]
}
export interface Rules {
  red_gap: number
  yellow_gap: number
  weight_done: number
  weight_blue: number
  weight_yellow: number
  weight_red: number
  late_penalty: number
  missing_penalty: number
}
export interface TaskUnit {
  unit_id: number
  name: string
  role: string
}
export interface Task {
  id: number
  plan: number
  no: string | null
  section: string | null
  kind: string
  name: string | null
  text: string
  leaders: string[]
  units: TaskUnit[]
  reporting_unit_id: number | null
  due: string | null
  targets?: Target[]
  /** false: 不考核 (kept in the ledger, left out of colours, counts and ranks) */
  assessed?: boolean
}
export interface StatusItem {
  task: number
  no: string | null
  colour: Colour
  colour_label: string
  arrow: Arrow
  progress: number
  schedule: number
  missing_periods: number[]
  reporting_unit_id: number | null
  reason?: string
  /** false: no approved report yet (show 未报送 / 暂无报告, never 0%) */
  reported?: boolean
  /** this period is missing for the reporting unit */
  missing?: boolean
  late?: boolean
  submitted_on?: string | null
  /** the state in words: 未报送 / 逾期（10月10日报送） / "" */
  state?: string
  /** false: 不考核 */
  assessed?: boolean
}
/** 口径: which period's figures, taken on which day, and what the arrows compare with. */
export interface Basis {
  period: { id: number; name: string; due: string } | null
  asked: string
  on: string
  final: boolean
  label: string
  previous: { period: { id: number; name: string }; source: 'issued' | 'final'; label: string; number: number | null } | null
  issued: { id: number; number: number; issued_on: string; taken_on: string } | null
}
export interface StatusList extends List<StatusItem> {
  on: string
  basis: Basis
}
export interface RankingList extends List<Ranking> {
  units_ranked: number
  on: string
  basis: Basis
}
/** An issued bulletin (POST /api/periods/{id}/bulletins, GET /api/plans/{id}/bulletins). */
export interface Bulletin {
  id: number
  plan: number
  period: { id: number; name: string }
  year: number
  number: number
  issued_on: string
  taken_on: string
  label: string
  counts: Partial<Counts>
  copy_to: string | null
  masthead: boolean
  filename: string
}
export interface Report {
  id: number
  task: number
  unit: number
  period: number
  revision: number
  state: string
  state_label: string
  progress: number
  text: string
  problems: string
  next_steps: string
  completed: boolean
  values: { target: number; value: number }[]
  late: boolean | null
  submitted_at: string | null
  approved_at?: string | null
  review_comment: string | null
  version?: number
  period_name?: string
}
export interface Period {
  id: number
  plan: number
  name: string
  due: string
}
export interface Unit {
  id: number
  name: string
  aliases: string[]
  group: boolean
  group_kind?: string | null
  members: number[]
  /** whose directory the unit is in */
  jurisdiction_id?: number | null
}
export interface Counts {
  done: number
  blue: number
  yellow: number
  red: number
  total: number
}
export interface OverviewTaskRef {
  task: number
  no: string | null
  name: string | null
  unit_id: number
  unit: string
  colour: Colour
  submitted_on?: string
  /** 未报送 / 逾期（10月10日报送） */
  state?: string
}
export interface Change {
  id: number
  at: string
  actor: string | number | null
  object_type: string
  object_id: number
  action: string
  /** the entry in words: 县财政局 报送了 第2项「…」第三季度进展 */
  text?: string
}
export interface Overview {
  plan: number
  on: string
  basis: Basis
  /** 不考核 tasks, left out of every count */
  excluded?: number
  leader: string | null
  counts: Counts
  arrows: { up: number; down: number; same: number }
  by_section: { key: string; title: string; counts: Counts }[]
  by_leader: { name: string; counts: Counts }[]
  by_unit: { unit_id: number; name: string; counts: Counts }[]
  period: { id: number; name: string; due: string } | null
  missing: OverviewTaskRef[]
  late: OverviewTaskRef[]
  changes: Change[]
}
export interface ReviewItem {
  report: Report
  task: { id: number; plan: number; no: string | null; name: string | null; text: string; due: string | null }
  unit: { id: number; name: string }
  period: { id: number; name: string; due: string }
  previous: Report | null
}
export interface Target {
  index: number
  value: number
  unit: string | null
  op: string | null
}
export interface MyItem {
  task: {
    id: number
    plan: number
    no: string | null
    name: string | null
    text: string
    due: string | null
    targets: Target[]
  }
  role: string
  role_label: string
  reporting: boolean
  state: string
  state_label: string
  report: Report | null
  /** 由牵头单位某某报送 for a supporting unit; "" for the reporting unit */
  reported_by_label?: string
  reported_by?: string
  overdue_periods: { id: number; name: string; due: string }[]
}
export interface MyList extends List<MyItem> {
  period: { id: number; name: string; due: string } | null
}
export interface ImportName {
  name: string
  group_kind: string | null
  unit: { id: number; name: string } | null
  suggestions: { unit_id: number; name: string; similarity: number }[]
}
export interface ImportPreview {
  /** the existing 行政区 the notice joins by its issuer; null: new, or to be chosen */
  jurisdiction?: { id: number; path: string } | null
  title: string
  year: number
  tasks: number
  source_lines: string[]
  names: ImportName[]
  unresolved: string[]
  /** one Chinese message per part the parser could not read (and an OCR read) */
  warnings?: string[]
  /** the notice as read */
  text?: string
  plan: {
    sections?: unknown[]
    tasks?: {
      no?: string | null
      name?: string | null
      text: string
      due?: string | null
      units?: { name: string; role: string }[]
      leaders?: string[]
      source?: { line?: number; lines?: number[] } | null
    }[]
  } & Record<string, unknown>
}
export interface ImportResult {
  id: number
  title: string
  year: number
  tasks: number
  units: number
  unresolved: string[]
  existing?: boolean
}
export interface Ranking {
  unit: number
  name: string
  score: number | null
  rank: number | null
  arrow: Arrow
  tasks: number
  late: number
  missing: number
}
export interface ReportInput {
  period: number
  progress: number
  text: string
  problems: string
  next_steps: string
  completed: boolean
  values: { target: number; value: number }[]
  submit: boolean
}
export interface MergeSuggestion {
  keep: number
  merge: number
  keep_name: string
  merge_name: string
  similarity: number
}
