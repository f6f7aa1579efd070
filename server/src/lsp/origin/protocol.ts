// Origin requests and notifications: declared in protocol/messages.ts (shared with the client) and
// re-exported here for the origin service's modules.
export {
  ORIGIN_DIAGNOSTIC_CODE, ORIGIN_DOCS_URL, OriginClassifyRequest, OriginExplainRequest, PredictionHistoryRequest,
  ExportPredictionHistoryRequest, OriginStatusNotification,
  type OriginLabelOrNone, type OriginVerdict, type UnitVerdict, type OriginClassifyParams, type OriginClassifyResult,
  type OriginExplainParams, type TokenHighlight, type OriginExplainResult, type OriginStatusParams, type PredictionRow,
  type PredictionHistoryParams, type PredictionHistoryResult, type ExportPredictionHistoryResult,
} from '../../../../protocol/messages';
export type { ModelInfo } from '../../../../protocol/records';
