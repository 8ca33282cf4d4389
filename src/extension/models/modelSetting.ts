/**
 * The `moontalk.model` setting's schema, made from the one table (core/models.ts), so
 * package.json and the table cannot drift: test/unit/extension/modelSetting.test.ts compares
 * them and `npx tsx scripts/modelSetting.ts` rewrites package.json from this.
 *
 * Why `anyOf: [{enum}, {type: string}]` and not a top-level `enum`: the Settings editor renders
 * a top-level `enum` as a drop-down that cannot hold any other value (VS Code 1.139 shows the
 * first entry for a value outside the list, which would misreport a newer model), and
 * settings.json would flag any other name as invalid. With `anyOf`, settings.json suggests the
 * known models with their descriptions and accepts any name (the server decides); VS Code's own
 * settings use the same form for free text with suggestions. The choices with status and
 * replacement are shown by MoonTalk: Choose Model, linked from the description.
 *
 * No `vscode` import: the unit test and the generator script load it in plain Node.
 */
import { DEFAULT_MODEL, LIVE_MODELS, type LiveModel } from '../../core/models';

/** The models the setting suggests: every table row the service still serves. */
export function suggestedModels(): LiveModel[] {
  return LIVE_MODELS.filter((m) => m.status.kind !== 'shutDown');
}

/**
 * The parts of the setting's schema the table owns. Everything else on the entry (description,
 * order, scope, …) belongs to package.json and is left as it is.
 */
export interface ModelSettingSchema {
  type: 'string';
  default: string;
  anyOf: [{ enum: string[]; enumItemLabels: string[]; enumDescriptions: string[] }, { type: 'string' }];
}

export function modelSettingSchema(): ModelSettingSchema {
  const models = suggestedModels();
  return {
    type: 'string',
    default: DEFAULT_MODEL,
    anyOf: [
      {
        enum: models.map((m) => m.id),
        enumItemLabels: models.map((m) => m.displayName),
        enumDescriptions: models.map((m) => `${m.displayName}: ${m.description}`),
      },
      { type: 'string' },
    ],
  };
}
