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
import { asksForHelp, commandHelp, COMMANDS, didYouMean, isCommand, MAIN_USAGE } from './cliHelp';
import { version as PACKAGE_VERSION } from '../../package.json';

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
  // clig.dev: help and version go to stdout with status 0, before anything else runs.
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`moontalk-live ${PACKAGE_VERSION}\n`);
    return EXIT.ok;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    const topic = rest[0];
    process.stdout.write(`${isCommand(topic) ? commandHelp(topic) : MAIN_USAGE}\n`);
    return EXIT.ok;
  }
  if (isCommand(command) && asksForHelp(rest)) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
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
        const { runBrokerCommand } = await import('./brokerCommand');
        return await runBrokerCommand(rest, { ...io, env: process.env });
      }
      case undefined:
        // No command is a usage error: the usage goes to stderr, status 2.
        process.stderr.write(`${MAIN_USAGE}\n`);
        return EXIT.usage;
      default: {
        const hint = didYouMean(command, COMMANDS);
        throw new UsageError(`unknown command "${command}"${hint ? `; did you mean "${hint}"?` : ''} (commands: ${COMMANDS.join(', ')}; see moontalk-live --help)`);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`moontalk-live: ${redactor.text(err.message)}\n`);
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
