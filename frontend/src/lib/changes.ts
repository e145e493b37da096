/** The change log in Chinese: object types and actions as the office names them (a dictionary, like every
 * status on these pages), so 总览 and 任务详情 never show the API's English keys. */
export const OBJECT_LABEL: Record<string, string> = {
  plan: '计划',
  task: '任务',
  report: '报告',
  unit: '单位',
  period: '报送期',
  user: '账号',
  token: '接口令牌',
  setting: '规则',
  receipt: '签收',
  adjustment: '调整申请',
  extension: '延期申请',
  appeal: '申诉',
  instruction: '领导批示',
  workplan: '实施方案',
  rectification: '整改事项',
  contribution: '协办材料',
}

export const ACTION_LABEL: Record<string, string> = {
  create: '新建',
  update: '修改',
  supersede: '重新填报',
  submit: '报送',
  approve: '审核通过',
  return: '退回',
  attach: '上传附件',
  import: '导入',
  publish: '发布',
  correct: '更正',
  rules: '修改规则',
  merge: '合并',
  members: '调整成员',
  alias: '添加别名',
  delete: '删除',
  password: '修改密码',
  disable: '停用',
  enable: '启用',
  revoke: '吊销',
  confirm: '签收',
  request: '提出申请',
  grant: '同意',
  refuse: '不同意',
  adjust: '按申请调整',
  extend: '延期',
  write: '批示',
  answer: '答复',
  set_leaders: '设置牵头领导',
  set_leader_name: '设置领导姓名',
  save: '保存',
  node_done: '报告节点完成',
  open: '交办整改',
  reopen: '退回重改',
  close: '销号',
}

/** Where one action word means different things on different objects (答复 a 批示 or a 整改, …). */
const ACTION_ON_OBJECT: Record<string, string> = {
  'rectification:answer': '答复整改',
  'contribution:write': '提交协办材料',
}

export interface ChangeLike {
  object_type?: string | null
  object_id?: number | null
  action: string
}

/** 「报告 #3 · 审核通过」 */
export function describeChange(change: ChangeLike): string {
  const action = ACTION_ON_OBJECT[`${change.object_type}:${change.action}`] ?? ACTION_LABEL[change.action] ?? change.action
  if (!change.object_type) return action
  const object = OBJECT_LABEL[change.object_type] ?? change.object_type
  return `${object}${change.object_id ? ` #${change.object_id}` : ''} · ${action}`
}
