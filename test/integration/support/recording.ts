import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One frame of a recorded session (test/fixtures/live-recordings, see its README). */
export interface RecordedFrame {
  direction: 'client' | 'server';
  json: Record<string, any>;
}

export const RECORDINGS_DIR = join(__dirname, '..', '..', 'fixtures', 'live-recordings');

/** Parses `>N {json}` client lines and `<N {` pretty-printed server frames. */
export function parseRecording(text: string): RecordedFrame[] {
  const frames: RecordedFrame[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const client = /^>(\d+) (.*)$/.exec(line);
    if (client) {
      frames.push({ direction: 'client', json: JSON.parse(client[2]!) });
      i++;
      continue;
    }
    const server = /^<(\d+) (.*)$/.exec(line);
    if (server) {
      let buf = server[2]!;
      i++;
      while (i < lines.length && !/^[<>]\d+ /.test(lines[i]!)) buf += `\n${lines[i++]}`;
      frames.push({ direction: 'server', json: JSON.parse(buf) });
      continue;
    }
    i++;
  }
  return frames;
}

export function loadRecordings(): Array<{ name: string; frames: RecordedFrame[] }> {
  return readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.websocket.log'))
    .sort()
    .map((name) => ({ name, frames: parseRecording(readFileSync(join(RECORDINGS_DIR, name), 'utf8')) }));
}

/**
 * The shape of a frame: its key paths, sorted, with array elements merged
 * (`serverContent.modelTurn.parts[].text`). Values are ignored, so two frames
 * of the same kind compare equal whatever they say.
 */
export function frameShape(value: unknown): string {
  const paths = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, `${path}[]`);
      if (v.length === 0) paths.add(`${path}[]`);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      if (entries.length === 0) paths.add(`${path}{}`);
      for (const [k, child] of entries) walk(child, path ? `${path}.${k}` : k);
    } else {
      paths.add(path);
    }
  };
  walk(value, '');
  return [...paths].sort().join(' ');
}
