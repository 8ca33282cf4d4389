/** Product defaults shared by the CLI and the extension. The model table is `models.ts`. */
export { DEFAULT_MODEL } from './models';
