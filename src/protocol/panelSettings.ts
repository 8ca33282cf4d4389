/**
 * The bounds and choices of the settings the panel edits, shared by the panel's field
 * checks (webview/ui/format.ts) and the host's NUMBER_SETTING_BOUNDS
 * (src/extension/settingPolicy.ts), so the panel refuses exactly what the settings
 * schema refuses. test/unit/webview/panelSettings.test.ts compares them with
 * package.json's `contributes.configuration`.
 */

export interface PanelNumberBounds {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** moontalk.compression.triggerTokens */
export const TRIGGER_TOKENS_BOUNDS = { min: 1_000, max: 128_000, integer: true } as const satisfies PanelNumberBounds;
/** moontalk.compression.compressionRatio */
export const COMPRESSION_RATIO_BOUNDS = { min: 0.05, max: 0.95, integer: false } as const satisfies PanelNumberBounds;
/** moontalk.responseModality */
export const RESPONSE_MODALITIES = ['AUDIO', 'TEXT'] as const;
