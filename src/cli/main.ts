#!/usr/bin/env node
/**
 * `moontalk-live`: the session core without VS Code. Contract: ../shared/CLI-CONTRACT.md.
 * Exit status: 0 done; 2 bad usage; 3 the server refused the credentials; 1 anything else.
 */
import { errorMessage } from '../common/errors';
import { Redactor, redactText } from '../common/redact';
import { parseEmulatorFlags, runEmulatorCommand } from './emulatorCommand';
import { EXIT, runChat } from './chatCommand';
import { createCliIo, UsageError } from './cliIo';
import { runToken } from './tokenCommand';

const USAGE = `usage: moontalk-live <command> [flags]

commands:
  chat       talk to a Live API endpoint; one user turn per stdin line, JSON Lines on stdout
  emulator   run the local Live API emulator
  broker     run a team token broker (holds the key, mints tokens for clients)
  token      token create [--save FILE] | token status FILE

With no GEMINI_API_KEY and no --base-url, chat and token use a built-in offline emulator.
See README.md for every flag.`;

async function main(argv: string[]): Promise<number> {
  const redactor = new Redactor();
  const verbose = argv.includes('--verbose');
  const io = createCliIo(
    redactor,
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
    verbose,
  );
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'chat':
        return await runChat(rest, { ...io, stdin: process.stdin, env: process.env });
      case 'token':
        return await runToken(rest, { ...io, env: process.env });
      case 'emulator': {
        try {
          parseEmulatorFlags(rest);
        } catch (err) {
          throw new UsageError(errorMessage(err));
        }
        const handle = await runEmulatorCommand(rest, {
          stdout: (line) => process.stdout.write(`${line}\n`),
          stderr: (line) => process.stderr.write(`${redactor.text(line)}\n`),
        });
        await new Promise<void>((resolve) => {
          const stop = () => void handle.stop().then(resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return EXIT.ok;
      }
      case 'broker': {
        const { runBrokerCommand } = await import('../broker/brokerCommand');
        return await runBrokerCommand(rest, { ...io, env: process.env });
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stderr.write(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`moontalk-live: ${redactor.text(err.message)}\n${command ? '' : USAGE}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`moontalk-live: ${redactor.text(errorMessage(err))}\n`);
    return EXIT.fatal;
  }
}

// A bug that escapes as an unhandled rejection still ends with a clear message and status 1.
process.on('unhandledRejection', (err) => {
  const secrets = [process.env.GEMINI_API_KEY, process.env.GOOGLE_API_KEY, process.env.MOONTALK_BROKER_TOKEN].filter((s): s is string => !!s);
  process.stderr.write(`moontalk-live: internal error: ${redactText(errorMessage(err), secrets)}\n`);
  process.exit(EXIT.fatal);
});

main(process.argv.slice(2)).then(
  (code) => {
    // stdout may still be draining into a pipe; exit once it has.
    process.stdout.write('', () => process.exit(code));
  },
  (err: unknown) => {
    process.stderr.write(`moontalk-live: unexpected failure: ${errorMessage(err)}\n`);
    process.exit(EXIT.fatal);
  },
);
