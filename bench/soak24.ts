/**
 * `npm run bench -- soak24`: the accelerated 24-hour soak (test/integration/helpers/soak24.ts,
 * the same runner its test uses) at a slower clock than the test, printed as bench rows.
 *
 * `node --expose-gc --import tsx bench/soak24.ts [scale=360] [turnEveryMs=60000] [hours=24]`
 */
import { runSoak24, type Soak24Result } from '../test/integration/helpers/soak24';

export function benchSoak24(scale = 360, turnEveryMs = 60_000, hours = 24): Promise<Soak24Result> {
  return runSoak24({ scale, turnEveryMs, hours });
}

if (require.main === module) {
  const [scaleRaw, everyRaw, hoursRaw] = process.argv.slice(2);
  benchSoak24(Number(scaleRaw ?? 360), Number(everyRaw ?? 60_000), Number(hoursRaw ?? 24)).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
