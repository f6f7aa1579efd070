// Judge requests between the server and the extension: declared in protocol/messages.ts (shared with
// the client) and re-exported here.
export {
  JudgeApiKeyRequest, JudgeConsentRequest, JudgeKeyChangedNotification,
  type JudgeApiKeyResult, type JudgeConsentParams, type JudgeConsentResult,
} from '../../../../protocol/messages';
