// The editor's judge settings: the manifest's defaults are the ones the server and the CLI use, and
// malformed values fall back to them instead of reaching the judge.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DEFAULT_GEMINI_MODEL, JUDGE_DEFAULTS } from '../../server/src/judge';
import { DEFAULT_JUDGE_SETTINGS, readJudgeSettings } from '../../server/src/lsp/judge/settings';

describe('editor judge settings', () => {
  it('package.json declares the same defaults as the server and the CLI', () => {
    const props = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> } } })
      .contributes.configuration.properties;
    assert.deepEqual(props['codeOrigin.judge.provider']!.enum, ['off', 'local', 'gemini']);
    assert.equal(props['codeOrigin.judge.provider']!.default, DEFAULT_JUDGE_SETTINGS.provider);
    assert.equal(props['codeOrigin.judge.model']!.default, DEFAULT_GEMINI_MODEL);
    assert.equal(props['codeOrigin.judge.threshold']!.default, JUDGE_DEFAULTS.threshold);
    assert.equal(props['codeOrigin.judge.maxCalls']!.default, JUDGE_DEFAULTS.maxCalls);
    assert.equal(props['codeOrigin.judge.concurrency']!.default, JUDGE_DEFAULTS.concurrency);
    assert.equal(props['codeOrigin.judge.timeoutSeconds']!.default, JUDGE_DEFAULTS.timeoutMs / 1000);
    assert.ok(!Object.keys(props).some((k) => /key/i.test(k) && k.startsWith('codeOrigin.judge')), 'no setting holds the API key');
  });

  it('reads well-formed values and keeps defaults for the rest', () => {
    assert.deepEqual(readJudgeSettings(undefined), DEFAULT_JUDGE_SETTINGS);
    assert.deepEqual(
      readJudgeSettings({ judge: { provider: 'gemini', model: ' gemini-x ', threshold: 0.8, maxCalls: 0, concurrency: 2, timeoutSeconds: 1.5 } }),
      { provider: 'gemini', model: 'gemini-x', threshold: 0.8, maxCalls: 0, concurrency: 2, timeoutMs: 1500 },
    );
    assert.deepEqual(
      readJudgeSettings({ judge: { provider: 'gpt', model: '', threshold: 1.5, maxCalls: -1, concurrency: 0, timeoutSeconds: 'soon' } }),
      DEFAULT_JUDGE_SETTINGS,
    );
  });
});
