// Rewrites package.json's `moontalk.model` schema from the model table (src/core/models.ts).
//   npx tsx scripts/modelSetting.ts
// test/unit/extension/modelSetting.test.ts fails when package.json is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { modelSettingSchema } from '../src/extension/models/modelSetting';

const file = 'package.json';
const pkg = JSON.parse(readFileSync(file, 'utf8'));
// Only the fields the table owns are replaced; description, order, scope and the rest stay.
const props = pkg.contributes.configuration.properties;
props['moontalk.model'] = { ...props['moontalk.model'], ...modelSettingSchema() };
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
console.log('package.json: moontalk.model updated from src/core/models.ts');
