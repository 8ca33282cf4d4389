/**
 * What `moontalk-live --help`, `<command> --help` and `--version` print (to stdout, exit 0,
 * clig.dev), and the "did you mean" hints for a mistyped command or flag. The flag lists
 * come from each command's parseArgs table, so a hint never names a flag that does not exist.
 */
import { closest, distance } from 'fastest-levenshtein';
import { DEFAULT_MODEL } from '../core/models';

export const MAIN_USAGE = `usage: moontalk-live <command> [flags]

commands:
  chat       talk to a Live API endpoint; one user turn per stdin line, JSON Lines on stdout
  emulator   run the local Live API emulator
  broker     run a team token broker (holds the key, mints tokens for clients)
  token      token create [--save FILE] | token status FILE

With no GEMINI_API_KEY and no --base-url, chat and token use a built-in offline emulator.
Run "moontalk-live <command> --help" for a command's flags; --version prints the version.`;

export const COMMANDS = ['chat', 'emulator', 'broker', 'token'] as const;
export type CommandName = (typeof COMMANDS)[number];

const HELP: Record<CommandName, string> = {
  chat: `usage: moontalk-live chat [flags] < turns.txt

Talks to a Live API endpoint: one user turn per stdin line, JSON Lines events on stdout
(connected, goAway, disconnected, reconnecting, text, turnComplete, usage, error, closed…),
logs on stderr. The API key comes from GEMINI_API_KEY (then GOOGLE_API_KEY), never a flag.
With no key and no --base-url it talks to a built-in offline emulator.

flags:
  --base-url URL               the API's base URL (REST at URL/v1alpha/…, the WebSocket on the same host)
  --model NAME                 the Live model (default ${DEFAULT_MODEL})
  --auth key|token             connect with the key (default), or mint an ephemeral token first
  --text                       print the model's words as text events
  --compression-trigger N      context window compression: trigger tokens
  --compression-target N       sliding-window target tokens
  --no-compression             no context window compression
  --no-resume                  no session resumption (comparisons only)
  --audio-in FILE.wav          speak a WAV file as realtime input (--fast: as fast as possible)
  --audio-out FILE.wav         write the model's audio replies (24 kHz PCM16 WAV)
  --state-file FILE            keep the resumption handle (mode 0600); a later run resumes
  --thinking-level LEVEL       LOW, MEDIUM or HIGH, for models with thinking levels
  --language BCP-47            the spoken language, e.g. de-DE
  --system-instruction TEXT    the system instruction
  --response-timeout-s N       a turn with no answer for N s is a dead link (0: off)
  --broker-url URL             get tokens from a team token broker (credential: MOONTALK_BROKER_TOKEN)
  --allow-insecure-broker      allow plain http to a non-loopback broker
  --verbose                    debug logs on stderr

exit status: 0 done, 2 bad usage (flags, files, unknown model), 3 credentials refused, 1 other errors`,
  emulator: `usage: moontalk-live emulator [flags]

Runs the local Live API emulator (no key, no network). When ready it prints one JSON line,
{"type":"listening","baseUrl":"http://127.0.0.1:PORT"}; Ctrl+C stops it.

flags:
  --port N                     port (0, the default, picks a free one)
  --connection-lifetime-s S    each connection ends S s after setup (default 600)
  --go-away-lead-s S           goAway comes S s before the end (default 60)
  --clock-scale X              time runs X times faster
  --drop-after-s S             break each connection after S s, without a close frame
  --latency-ms N               delay every frame by N ms each way
  --pong-delay-s S             answer pings S s late
  --session-cap-s S            end sessions without compression after S s (1011)
  --reply-chunk-delay-ms N     time between streamed reply chunks
  --api-key K                  the one key accepted (default: any non-empty key)
  --stale-handles              refuse every resumption handle (1007)
  --quota-exhausted            the quota is used up: setups close 1011 RESOURCE_EXHAUSTED, token requests get 429
  --text-frames                send text frames instead of binary ones`,
  broker: `usage: moontalk-live broker --credentials FILE [--port N] [--host H] [--base-url URL] [--allow-insecure-upstream]
       moontalk-live broker add-client --file FILE --id ID [--models m1,m2] [--replace]

Runs a team token broker: it holds the API key (GEMINI_API_KEY) and mints ephemeral tokens
for clients presenting a bearer credential from FILE. add-client adds a client to FILE and
prints its new credential once.`,
  token: `usage: moontalk-live token create [--save FILE] [--model NAME] [--uses N] [--expire-s S] [--new-session-expire-s S] [--text] [--base-url URL]
       moontalk-live token status FILE

create mints an ephemeral token with the key from GEMINI_API_KEY and prints its status as
JSON (never the key or the whole token name); --save writes it to FILE (mode 0600).
status prints the same JSON for a saved token.`,
};

/** The help text of a command (stdout, exit 0). */
export function commandHelp(command: CommandName): string {
  return HELP[command];
}

export function isCommand(name: string | undefined): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name ?? '');
}

/** True when the arguments ask for help (before a `--` that ends the flags). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * The closest of `candidates` to a mistyped `input`, if it is close enough to be what was
 * meant: at most a third of its length wrong (2 edits for short words, at most 3), or a prefix.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (input === '' || candidates.length === 0) return undefined;
  const prefixed = candidates.filter((c) => c.startsWith(input));
  if (prefixed.length === 1) return prefixed[0];
  const best = closest(input, [...candidates]);
  const allowed = Math.min(3, Math.max(2, Math.floor(input.length / 3)));
  return distance(input, best) <= allowed ? best : undefined;
}

/**
 * A parseArgs error ("Unknown option '--bse-url'…") with a hint from the command's flags
 * appended when one is close; any other message comes back unchanged.
 */
export function withFlagHint(message: string, flags: readonly string[]): string {
  const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
  if (!unknown) return message;
  const name = unknown.replace(/^--?/, '').split('=')[0]!;
  const hint = didYouMean(name, flags);
  return hint ? `unknown flag ${unknown}; did you mean --${hint}?` : `unknown flag ${unknown}`;
}
