/**
 * The VS Code the e2e suite drives: code-server serving the packaged extension, and
 * the bare VS Code server inside code-server for the extension-host suite. Loopback
 * only, ports from the OS (port 0), every wait bounded, every process owned.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_BIN, NO_GALLERY, NODE24_BIN, REPO, SERVER_MAIN } from './paths';
import { freePort, httpUp, runBounded, start, waitUntil, type Owned } from './processes';

/** Node 24 first in PATH (code-server's engine), and the extension gallery on a closed loopback port. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`, EXTENSIONS_GALLERY: NO_GALLERY, ...extra };
}

/**
 * Builds every bundle (dist/ and the extension-host specs in out/) and packages the
 * extension; `vsce package` runs vscode:prepublish, the production build, first.
 */
export async function buildAndPackage(vsix: string, logDir: string): Promise<void> {
  await runBounded(process.execPath, ['esbuild.mjs'], { cwd: REPO, timeoutMs: 120_000, logFile: path.join(logDir, 'build.log') });
  await runBounded('npx', ['--no-install', '@vscode/vsce', 'package', '--no-dependencies', '-o', vsix], {
    cwd: REPO,
    timeoutMs: 180_000,
    logFile: path.join(logDir, 'vsce.log'),
  });
}

export interface Profile {
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  /** XDG_DATA_HOME for code-server: its heartbeat and logs stay out of ~/.local/share. */
  readonly dataHome: string;
}

/** A fresh user-data-dir (with `settings`), extensions-dir and workspace folder under `root`. */
export function makeProfile(root: string, settings: Record<string, unknown>): Profile {
  const profile = { userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions'), workspace: path.join(root, 'workspace'), dataHome: path.join(root, 'xdg-data') };
  mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.dataHome, { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  mkdirSync(profile.workspace, { recursive: true });
  writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(path.join(profile.workspace, 'README.md'), '# MoonTalk e2e workspace\n');
  return profile;
}

/** Installs a .vsix into the profile; returns `--list-extensions --show-versions` afterwards. */
export async function installExtension(profile: Profile, vsix: string, logDir: string): Promise<string[]> {
  const base = ['--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir];
  const env = toolEnv({ XDG_DATA_HOME: profile.dataHome });
  await runBounded(CODE_SERVER_BIN, [...base, '--install-extension', vsix], { env, timeoutMs: 120_000, logFile: path.join(logDir, 'install-extension.log') });
  const listed = await runBounded(CODE_SERVER_BIN, [...base, '--list-extensions', '--show-versions'], { env, timeoutMs: 60_000, logFile: path.join(logDir, 'list-extensions.log') });
  return listed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

export interface Served {
  readonly url: string;
  readonly process: Owned;
}

/** Serves the workbench with code-server on 127.0.0.1 and waits (bounded) until it answers. */
export async function serveCodeServer(profile: Profile, root: string, logDir: string): Promise<Served> {
  const port = await freePort();
  // An explicit config file: code-server would otherwise create ~/.config/code-server/config.yaml.
  const config = path.join(root, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const child = start(
    CODE_SERVER_BIN,
    [
      '--config', config,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--extensions-dir', profile.extensionsDir,
      '--user-data-dir', profile.userDataDir,
      profile.workspace,
    ],
    { env: toolEnv({ XDG_DATA_HOME: profile.dataHome }), logFile: path.join(logDir, 'code-server.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`code-server on ${url}`, 60_000, async () => {
      if (child.child.exitCode !== null) throw new Error(`code-server exited with ${child.child.exitCode}:\n${child.output()}`);
      return httpUp(`${url}/healthz`);
    });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, process: child };
}

/**
 * The VS Code server bundled in code-server, run directly: it accepts
 * --enable-smoke-test-driver and the `payload` URL parameter (extensionDevelopmentPath,
 * extensionTestsPath), which code-server itself refuses (shared E2E-CODE-SERVER.md).
 */
export async function serveVsCodeServer(profile: Profile, serverDataDir: string, env: NodeJS.ProcessEnv, logDir: string): Promise<Served> {
  const port = await freePort();
  mkdirSync(serverDataDir, { recursive: true });
  const child = start(
    path.join(NODE24_BIN, 'node'),
    [
      SERVER_MAIN,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--extensions-dir', profile.extensionsDir,
      '--user-data-dir', profile.userDataDir,
      '--server-data-dir', serverDataDir,
      '--disable-telemetry',
    ],
    { env: toolEnv(env), logFile: path.join(logDir, 'vscode-server.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`the VS Code server on ${url}`, 60_000, async () => {
      if (child.child.exitCode !== null) throw new Error(`the VS Code server exited with ${child.child.exitCode}:\n${child.output()}`);
      return httpUp(`${url}/version`);
    });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, process: child };
}
