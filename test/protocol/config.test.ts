// protocol/config.ts is the one place of every default and list: package.json, the language server's
// settings and the build must say the same.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import {
  DIAGNOSTICS_SCOPES, JUDGE_PROVIDERS, LANGUAGE_TABLE, LANGUAGES, SETTINGS_DEFAULTS, SEVERITY_NAMES, VSCODE_LANGUAGE_IDS,
  flatSettingsDefaults,
} from '../../protocol/config';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/lsp/settings';
import { DEFAULT_JUDGE_SETTINGS, readJudgeSettings } from '../../server/src/lsp/judge/settings';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const props: Record<string, { default?: unknown; enum?: unknown[]; items?: { enum?: unknown[] } }> = pkg.contributes.configuration.properties;

describe('protocol/config.ts: one place for every default', () => {
  it('package.json contributes every setting with the same default', () => {
    const ours = flatSettingsDefaults();
    assert.deepEqual(Object.keys(props).sort(), Object.keys(ours).sort(), 'the same settings on both sides');
    for (const [key, p] of Object.entries(props)) assert.deepEqual(p.default, ours[key], key);
  });

  it('package.json lists the same languages, severities, scopes and providers', () => {
    for (const key of ['codeOrigin.enabledLanguages', 'codeOrigin.origin.enabledLanguages']) assert.deepEqual(props[key]!.items!.enum, [...LANGUAGES], key);
    for (const key of ['codeOrigin.similarity.severity', 'codeOrigin.similarity.raisedSeverity', 'codeOrigin.origin.severity']) assert.deepEqual(props[key]!.enum, [...SEVERITY_NAMES], key);
    assert.deepEqual(props['codeOrigin.similarity.diagnosticsScope']!.enum, [...DIAGNOSTICS_SCOPES]);
    assert.deepEqual(props['codeOrigin.judge.provider']!.enum, [...JUDGE_PROVIDERS]);
    const onLanguage = (pkg.activationEvents as string[]).filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(onLanguage, [...VSCODE_LANGUAGE_IDS]);
    const explain = (pkg.contributes.menus['editor/context'] as Array<{ command: string; when: string }>).find((m) => m.command === 'codeOrigin.explainOrigin')!;
    assert.equal(explain.when, `editorLangId =~ /^(${VSCODE_LANGUAGE_IDS.join('|')})$/`);
  });

  it('every language has its grammar in the devDependencies and in the build (esbuild.mjs reads the table)', () => {
    for (const l of LANGUAGE_TABLE) {
      // Grammars are build inputs (their .wasm is copied into dist/wasm), so they are devDependencies.
      assert.ok(pkg.devDependencies[l.grammar.pkg], `${l.id}: ${l.grammar.pkg} in devDependencies`);
      assert.ok(existsSync(path.join(root, 'dist', 'wasm', l.grammar.file)), `${l.id}: ${l.grammar.file} copied to dist/wasm`);
    }
  });

  it('the language server starts from the same defaults', () => {
    const names: Record<string, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };
    const d = SETTINGS_DEFAULTS;
    const s = readSettings(undefined);
    assert.deepEqual(s, DEFAULT_SETTINGS);
    assert.equal(s.maxFileSize, d.maxFileSize);
    assert.deepEqual(s.enabledLanguages, [...d.enabledLanguages]);
    assert.deepEqual([s.astMaxDepth, s.astMaxNodes], [d.ast.maxDepth, d.ast.maxNodes]);
    assert.deepEqual(s.similarity, { ...d.similarity, severity: names[d.similarity.severity], raisedSeverity: names[d.similarity.raisedSeverity] });
    const { threshold, severity, ...origin } = d.origin;
    assert.deepEqual(s.origin, { ...origin, enabledLanguages: [...origin.enabledLanguages], severity: names[severity], threshold: threshold ?? undefined });
    const j = readJudgeSettings(undefined);
    assert.deepEqual(j, DEFAULT_JUDGE_SETTINGS);
    const { timeoutSeconds, ...judge } = d.judge;
    assert.deepEqual(j, { ...judge, timeoutMs: timeoutSeconds * 1000 });
  });
});
