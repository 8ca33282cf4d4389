/**
 * Which settings a workspace may steer, and the bounds of every numeric setting,
 * in one place (no vscode import, so unit tests check it against package.json).
 *
 * @remarks
 * A repository's `.vscode/settings.json` is written by whoever wrote the repository.
 * The settings that decide where the API key or a broker credential is sent, or what
 * program runs, are scoped `application`/`machine` in package.json, so VS Code does
 * not apply a workspace value. An older VS Code, or one that shows the value in
 * `get()` anyway, must not be trusted with that: {@link effectiveSetting} reads those
 * keys from the user's own value only. Two safety switches may be tightened by a
 * workspace but never loosened: a workspace can turn the editor tools off, not on,
 * and can ask for confirmation of read-only tools, not stop it.
 */
import { COMPRESSION_RATIO_BOUNDS, TRIGGER_TOKENS_BOUNDS } from '../protocol/panelSettings';
import { SettingKeys, type SettingKey } from './constants';

/** Read from the user (global) value or the default only; package.json scopes them `application`/`machine`. */
export const USER_ONLY_SETTINGS: ReadonlySet<SettingKey> = new Set<SettingKey>([
  // Where the key goes: a workspace baseUrl (or a switch to the gemini backend) would send it to that host.
  SettingKeys.backend,
  SettingKeys.baseUrl,
  // Where the broker credential goes.
  SettingKeys.tokensBrokerUrl,
  // A program the extension runs.
  SettingKeys.audioRecorder,
  // Commands the model may run.
  SettingKeys.toolsAllowedCommands,
  // Which extension and MCP tools the model is offered, and which run without asking.
  SettingKeys.toolsLanguageModelTools,
  SettingKeys.toolsLanguageModelToolsAllowed,
]);

/** The parts of `WorkspaceConfiguration.inspect()` this reads. */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value a setting takes, given what `inspect()` reports and what `get()` merged.
 * User-only keys: the user's value, else the default. `tools.enabled` and
 * `tools.googleSearch` (where the conversation's questions may go): on only when both the
 * merged and the user's value are on. `tools.confirmReadOnly`: on when
 * either is on. Everything else: the merged value.
 */
export function effectiveSetting(key: SettingKey, merged: unknown, inspected: InspectedSetting | undefined): unknown {
  if (USER_ONLY_SETTINGS.has(key)) return inspected ? (inspected.globalValue ?? inspected.defaultValue) : undefined;
  const user = inspected ? (inspected.globalValue ?? inspected.defaultValue) : merged;
  if (key === SettingKeys.toolsEnabled || key === SettingKeys.toolsGoogleSearch) return typeof merged === 'boolean' && typeof user === 'boolean' ? merged && user : merged;
  if (key === SettingKeys.toolsConfirmReadOnly) return typeof merged === 'boolean' && typeof user === 'boolean' ? merged || user : merged;
  return merged;
}

export interface NumberBounds {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/**
 * The bounds of each numeric setting, exactly as package.json declares them
 * (`minimum`, `maximum`, `type: integer`); test/unit/extension/settingPolicy.test.ts
 * fails when the two differ. The settings reader and the panel's `settings/update`
 * check both use this table.
 */
export const NUMBER_SETTING_BOUNDS = {
  // The two the panel edits come from the table the panel's own field checks use.
  [SettingKeys.compressionTriggerTokens]: TRIGGER_TOKENS_BOUNDS,
  [SettingKeys.compressionRatio]: COMPRESSION_RATIO_BOUNDS,
  [SettingKeys.tokensLifetimeMinutes]: { min: 1, max: 1_200, integer: true },
  [SettingKeys.tokensNewSessionWindowSeconds]: { min: 10, max: 72_000, integer: true },
  [SettingKeys.tokensUses]: { min: 0, max: 1_000, integer: true },
  [SettingKeys.reconnectBaseMs]: { min: 50, max: 60_000, integer: true },
  [SettingKeys.reconnectCapMs]: { min: 100, max: 600_000, integer: true },
  [SettingKeys.reconnectMaxAttempts]: { min: 1, max: 100, integer: true },
  [SettingKeys.reconnectResponseTimeoutSeconds]: { min: 0, max: 600, integer: true },
  [SettingKeys.emulatorConnectionLifetimeSeconds]: { min: 5, max: 86_400, integer: false },
  [SettingKeys.emulatorGoAwayLeadSeconds]: { min: 1, max: 3_600, integer: false },
  [SettingKeys.contextMaxChars]: { min: 1_000, max: 200_000, integer: true },
  [SettingKeys.turnTakingSilenceDurationMs]: { min: 100, max: 10_000, integer: true },
  [SettingKeys.turnTakingPrefixPaddingMs]: { min: 0, max: 2_000, integer: true },
} as const satisfies Partial<Record<SettingKey, NumberBounds>>;

export type NumberSettingKey = keyof typeof NUMBER_SETTING_BOUNDS;

/** Undefined when `value` is within the bounds of `key`, else a sentence naming the setting and the bounds. */
export function checkNumberSetting(key: NumberSettingKey, value: unknown): string | undefined {
  const b: NumberBounds = NUMBER_SETTING_BOUNDS[key];
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= b.min && value <= b.max && (!b.integer || Number.isInteger(value));
  if (ok) return undefined;
  return `moontalk.${key} must be ${b.integer ? 'a whole number' : 'a number'} from ${b.min} to ${b.max} (got ${JSON.stringify(value) ?? String(value)})`;
}
