// Judge requests between the server and the extension. The server asks for the Gemini key and for
// consent only when a run is about to call Gemini; the key is never pushed or stored server-side.

/** Server → client: the Gemini API key from SecretStorage, or none. */
export const JudgeApiKeyRequest = 'codeOrigin/judgeApiKey';
export interface JudgeApiKeyResult { key?: string }

/** Server → client: may code from these files be sent to Google? */
export const JudgeConsentRequest = 'codeOrigin/judgeConsent';
export interface JudgeConsentParams {
  /** Pairs at or above the judge threshold (an upper bound: cached and locally decided pairs are not sent). */
  pairs: number;
  files: number;
  model: string;
}
export interface JudgeConsentResult { allowed: boolean }

/** Client → server: the key was set or cleared; earlier refusals and missing-key notes no longer hold. */
export const JudgeKeyChangedNotification = 'codeOrigin/judgeKeyChanged';
