/**
 * The duban API's JSON shapes under the names the views use. Every shape is generated (./schema.d.ts, from
 * the response models in src/duban/web/schemas/ by `make types`); nothing is written by hand here.
 */
import type { components } from './schema'

type Schemas = components['schemas']

export type Colour = Schemas['StatusItem']['colour']
export type Arrow = Schemas['StatusItem']['arrow']
export type Role = Schemas['Me']['role']

export type Me = Schemas['Me']
export type Permission = Schemas['Permission']
export type Account = Schemas['Account']
export type AccountList = Schemas['AccountList']
export type AccountWithPassword = Schemas['AccountWithPassword']
export type NewAccountList = Schemas['NewAccountList']
export type ApiTokenInfo = Schemas['ApiTokenInfo']
export type ApiTokenList = Schemas['ApiTokenList']

export type Jurisdiction = Schemas['Jurisdiction']
export type JurisdictionList = Schemas['JurisdictionList']
export type CountyRow = Schemas['CountyRow']
export type CountyComparison = Schemas['CountyComparison']

export type Plan = Schemas['Plan']
export type PlanDetail = Schemas['PlanDetail']
export type PlanList = Schemas['PlanList']
export type Rules = Schemas['PlanRules']
export type ImportResult = Schemas['ImportResult']
export type ImportName = Schemas['ImportName']
export type ImportPreview = Schemas['ImportPreview']

export type Task = Schemas['Task']
export type TaskDetail = Schemas['TaskDetail']
export type TaskList = Schemas['TaskList']
export type TaskUnit = Schemas['TaskUnit']
export type Target = Schemas['Target']

export type Report = Schemas['Report']
export type ReportDetail = Schemas['ReportDetail']
export type ReportList = Schemas['ReportList']
export type AttachmentInfo = Schemas['AttachmentInfo']

export type Period = Schemas['Period']
export type PeriodList = Schemas['PeriodList']

export type Unit = Schemas['Unit']
export type UnitList = Schemas['UnitList']
export type UnitBrief = Schemas['UnitBrief']
export type UnitWithAliases = Schemas['UnitWithAliases']
export type MergeSuggestion = Schemas['MergeSuggestion']
export type MergeSuggestionList = Schemas['MergeSuggestionList']

export type Counts = Schemas['Counts']
export type Basis = Schemas['Basis']
export type StatusItem = Schemas['StatusItem']
export type StatusList = Schemas['StatusList']
export type Ranking = Schemas['Ranking']
export type RankingList = Schemas['RankingList']
export type Overview = Schemas['Overview']
export type OverviewTaskRef = Schemas['OverviewTaskRef']

export type Change = Schemas['ChangeEntry']
export type ChangeList = Schemas['ChangeList']
export type RecentChange = Schemas['RecentChange']

export type ReviewItem = Schemas['ReviewItem']
export type ReviewList = Schemas['ReviewList']
export type MyItem = Schemas['MyItem']
export type MyList = Schemas['MyList']

export type Bulletin = Schemas['Bulletin']
export type BulletinList = Schemas['BulletinList']
export type ImportedReports = Schemas['ImportedReports']

/** Request bodies, as the API declares them. */
export type ReportInput = Schemas['ReportBody']
export type TaskCorrection = Schemas['TaskCorrection']
export type NewAccount = Schemas['NewAccount']
export type IssueBody = Schemas['IssueBody']
