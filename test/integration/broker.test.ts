/**
 * The team token broker over loopback: the project's emulator (holding a recognisable
 * fake key) upstream, BrokerServer on port 0 in front, clients with and without
 * credentials. Every response and every broker log line is kept and checked at the
 * end for the key (whole or any 5-character piece) and for whole token names.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addClientToFile } from '../../src/broker/addClientToFile';
import { runBrokerCommand } from '../../src/cli/brokerCommand';
import { parseBrokerConfig, type BrokerConfig } from '../../src/broker/brokerConfig';
import { BrokerServer } from '../../src/broker/brokerServer';
import { cappedFetch } from '../../src/broker/cappedFetch';
import { generateCredential, hashCredential } from '../../src/broker/credentialHash';
import { UsageError } from '../../src/cli/cliIo';
import type { JsonLine } from '../../src/cli/jsonLines';
import { isMoonTalkError, MoonTalkError } from '../../src/common/errors';
import type { Logger } from '../../src/common/logger';
import { DEFAULT_MODEL } from '../../src/core/models';
import { RedactingLogger } from '../../src/common/logger';
import { Redactor } from '../../src/common/redact';
import { LiveEmulator } from '../../src/emulator/liveEmulator';
import { BrokerTokenMinter } from '../../src/live/brokerTokenMinter';
import { RestTokenMinter } from '../../src/live/restTokenMinter';
import { FakeClock } from '../fakes/fakeClock';
import { startHarness } from './helpers/liveHarness';
import { LiveTestClient, tokenUrl } from './support/liveTestClient';

// Random-looking on purpose: a key made of words ("broker", "test-") would share
// 5-character pieces with ordinary log text and make the leak check meaningless.
const KEY = 'AIzaFAKEq7Wz9XvK2mN4pR8tL0bJ3hD6cYxQ';
const WRONG_KEY = 'AIzaFAKEu5Ht1GsE7wZ0kV3yN9fM2cA8rBpL';
const MODEL = DEFAULT_MODEL;
// The default model answers in audio only (models.ts), so tokens are locked to AUDIO.
const LOCKED_CONSTRAINTS = { model: `models/${MODEL}`, generationConfig: { responseModalities: ['AUDIO'] }, sessionResumption: {} };

/** Every 5-character piece of `secret`. */
function pieces(secret: string, n = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= secret.length; i++) out.push(secret.slice(i, i + n));
  return out;
}

/** A logger that keeps raw lines: no redaction, so the check sees what the broker itself wrote. */
function rawLogger(lines: string[], tag = ''): Logger {
  const write = (level: string) => (message: string | Error, ...args: unknown[]) =>
    lines.push(`[${level}] ${tag ? `[${tag}] ` : ''}${message instanceof Error ? message.message : message} ${args.map((a) => JSON.stringify(a)).join(' ')}`);
  return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (t) => rawLogger(lines, t) };
}

interface Recorded {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

describe('team token broker', function () {
  this.timeout(15_000);
  let emulator: LiveEmulator;
  let emulatorUrl: string;
  const servers: BrokerServer[] = [];
  const responses: Recorded[] = [];
  const logLines: string[] = [];
  const tokenNames: string[] = [];
  const alice = generateCredential();
  const bob = generateCredential();

  function config(overrides: Record<string, unknown> = {}): BrokerConfig {
    return parseBrokerConfig({
      clients: [
        { id: 'alice', sha256: hashCredential(alice) },
        { id: 'bob', sha256: hashCredential(bob), models: [MODEL] },
      ],
      allowedModels: [MODEL, 'gemini-other-live'],
      allowedModalities: ['AUDIO', 'TEXT'],
      maxLifetimeS: 600,
      ratePerMinute: 100,
      ...overrides,
    });
  }

  async function startBroker(options: { config?: BrokerConfig; key?: string; clock?: FakeClock } = {}): Promise<string> {
    const redactor = new Redactor();
    redactor.addSecret(options.key ?? KEY);
    const server = new BrokerServer({
      config: options.config ?? config(),
      minter: new RestTokenMinter(emulatorUrl, options.key ?? KEY),
      logger: rawLogger(logLines),
      redactor,
      secrets: [options.key ?? KEY],
      clock: options.clock,
      port: 0,
    });
    servers.push(server);
    return (await server.start()).baseUrl;
  }

  async function call(url: string, init: { method?: string; credential?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Recorded> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...init.headers };
    if (init.credential) headers['Authorization'] = `Bearer ${init.credential}`;
    const res = await fetch(url, {
      method: init.method ?? 'POST',
      headers,
      body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const r = { status: res.status, headers: Object.fromEntries(res.headers.entries()), text, json };
    responses.push(r);
    if (typeof (json as { name?: unknown })?.name === 'string') tokenNames.push((json as { name: string }).name);
    return r;
  }

  function tokenRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Date.now();
    return {
      model: `models/${MODEL}`,
      uses: 1,
      expireTime: new Date(now + 300_000).toISOString(),
      newSessionExpireTime: new Date(now + 60_000).toISOString(),
      constraints: LOCKED_CONSTRAINTS,
      ...overrides,
    };
  }

  before(async () => {
    emulator = new LiveEmulator({ apiKey: KEY, replyChunkDelayMs: 5, pongDelayMs: 10 });
    emulatorUrl = (await emulator.start()).baseUrl;
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await emulator.stop();
  });

  it('gives a token to a good credential, and the token opens a locked session on the emulator', async () => {
    const broker = await startBroker();
    const r = await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.name, /^auth_tokens\/.{8,}/);
    assert.equal(r.json.uses, 1);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.deepEqual(Object.keys(r.json).sort(), ['expireTime', 'name', 'newSessionExpireTime', 'uses']);
    const ws = await LiveTestClient.open(tokenUrl(emulatorUrl, r.json.name), LOCKED_CONSTRAINTS);
    try {
      ws.send({ clientContent: { turns: [{ role: 'user', parts: [{ text: 'hello broker' }] }], turnComplete: true } });
      await ws.next((f) => f['serverContent']?.['turnComplete'] === true, 5_000);
    } finally {
      ws.terminate();
    }
    // The lock holds: the same kind of token refuses a session with another modality.
    const r2 = await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() });
    const other = await LiveTestClient.connect(tokenUrl(emulatorUrl, r2.json.name));
    try {
      other.send({ setup: { ...LOCKED_CONSTRAINTS, generationConfig: { responseModalities: ['TEXT'] } } });
      const closed = await other.waitClose(3_000);
      assert.equal(closed.code, 1008);
    } finally {
      other.terminate();
    }
    const audit = logLines.filter((l) => l.includes('"event":"tokenMinted"'));
    assert.ok(audit.length >= 2);
    const entry = JSON.parse(audit[0]!.slice(audit[0]!.indexOf('audit ') + 6));
    assert.equal(entry.client, 'alice');
    assert.equal(entry.model, `models/${MODEL}`);
    assert.equal(entry.expireTime, r.json.expireTime);
    assert.equal(entry.uses, 1);
    assert.match(entry.tokenId, /^.{2}….{2}$/);
  });

  it('answers 401 with WWW-Authenticate for a missing, malformed or unknown credential', async () => {
    const broker = await startBroker();
    for (const credential of [null, 'mtb_not-a-real-credential', generateCredential()]) {
      const r = await call(`${broker}/v1/tokens`, { credential, body: tokenRequest() });
      assert.equal(r.status, 401, r.text);
      assert.match(r.headers['www-authenticate'] ?? '', /^Bearer/);
      assert.equal(r.json.error.code, 401);
      assert.equal(r.json.error.status, 'UNAUTHENTICATED');
    }
    const basic = await call(`${broker}/v1/tokens`, { headers: { Authorization: `Basic ${alice}` }, body: tokenRequest() });
    assert.equal(basic.status, 401);
    assert.ok(logLines.some((l) => l.includes('"status":401') && l.includes('credential missing')));
  });

  it('answers 429 with Retry-After past the per-client rate, per client, until time passes', async () => {
    const clock = new FakeClock(Date.now());
    const broker = await startBroker({ config: config({ ratePerMinute: 3 }), clock });
    for (let i = 0; i < 3; i++) assert.equal((await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() })).status, 200);
    const limited = await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '20');
    assert.equal(limited.json.error.status, 'RESOURCE_EXHAUSTED');
    assert.equal((await call(`${broker}/v1/tokens`, { credential: bob, body: tokenRequest() })).status, 200, 'bob has his own bucket');
    clock.advance(20_000);
    assert.equal((await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() })).status, 200);
  });

  it('answers 403 for a model, modality or constraint it will not sign', async () => {
    const broker = await startBroker({ config: config({ allowedModalities: ['AUDIO'] }) });
    const cases: Array<[string, Record<string, unknown>]> = [
      [alice, tokenRequest({ model: 'gemini-2.5-pro', constraints: { ...LOCKED_CONSTRAINTS, model: 'models/gemini-2.5-pro' } })],
      [bob, tokenRequest({ model: 'gemini-other-live', constraints: { ...LOCKED_CONSTRAINTS, model: 'models/gemini-other-live' } })],
      [alice, tokenRequest({ constraints: { ...LOCKED_CONSTRAINTS, generationConfig: { responseModalities: ['TEXT'] } } })],
      [alice, tokenRequest({ constraints: { ...LOCKED_CONSTRAINTS, model: 'models/gemini-other-live' } })],
      [alice, tokenRequest({ constraints: { ...LOCKED_CONSTRAINTS, systemInstruction: { parts: [{ text: 'x' }] } } })],
    ];
    for (const [credential, body] of cases) {
      const r = await call(`${broker}/v1/tokens`, { credential, body });
      assert.equal(r.status, 403, `${JSON.stringify(body)} -> ${r.text}`);
      assert.equal(r.json.error.status, 'PERMISSION_DENIED');
    }
    assert.equal((await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest({ model: 'gemini-other-live', constraints: { ...LOCKED_CONSTRAINTS, model: 'models/gemini-other-live' } }) })).status, 200);
  });

  it('clamps a lifetime beyond the maximum and says so in the answer', async () => {
    const broker = await startBroker({ config: config({ maxLifetimeS: 120, maxNewSessionWindowS: 30, maxUses: 1 }) });
    const before = Date.now();
    const r = await call(`${broker}/v1/tokens`, {
      credential: alice,
      body: tokenRequest({ uses: 0, expireTime: new Date(before + 10 * 3_600_000).toISOString(), newSessionExpireTime: new Date(before + 3_600_000).toISOString() }),
    });
    assert.equal(r.status, 200, r.text);
    const expire = Date.parse(r.json.expireTime);
    assert.ok(expire <= Date.now() + 120_000 && expire >= before + 119_000, r.json.expireTime);
    assert.ok(Date.parse(r.json.newSessionExpireTime) <= Date.now() + 30_000);
    assert.equal(r.json.uses, 1);
    assert.ok(logLines.some((l) => l.includes('"clamped":["uses","expireTime","newSessionExpireTime"]')));
  });

  it('answers 400 for bad JSON or fields, 413 past the body limit, 404/405 elsewhere, 200 on /healthz', async () => {
    const broker = await startBroker();
    const badJson = await call(`${broker}/v1/tokens`, { credential: alice, rawBody: '{"model":' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error.status, 'INVALID_ARGUMENT');
    assert.equal((await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest({ expireTime: 'soon' }) })).status, 400);
    assert.equal((await call(`${broker}/v1/tokens`, { credential: alice, body: [1, 2] })).status, 400);
    const big = await call(`${broker}/v1/tokens`, { credential: alice, rawBody: JSON.stringify({ ...tokenRequest(), pad: 'x'.repeat(70 * 1024) }) });
    assert.equal(big.status, 413);
    // Without Content-Length (chunked), the limit holds while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${broker}/v1/tokens`, { method: 'POST', headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json' }, timeout: 5_000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.write('{"pad":"');
      for (let i = 0; i < 10; i++) req.write('x'.repeat(16 * 1024));
      req.end('"}');
    });
    assert.equal(chunked, 413);
    assert.equal((await call(`${broker}/v1/other`, { credential: alice, body: {} })).status, 404);
    assert.equal((await call(`${broker}/`, { method: 'GET' })).status, 404);
    const get = await call(`${broker}/v1/tokens`, { method: 'GET', credential: alice });
    assert.equal(get.status, 405);
    assert.equal(get.headers['allow'], 'POST');
    const health = await call(`${broker}/healthz`, { method: 'GET' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { ok: true });
  });

  it('answers 502 without the key when the upstream refuses the key', async () => {
    const broker = await startBroker({ key: WRONG_KEY });
    const r = await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest() });
    assert.equal(r.status, 502, r.text);
    assert.match(r.json.error.message, /refused the broker's API key/);
    const minter = new BrokerTokenMinter(broker, alice);
    await assert.rejects(minter.mint(tokenRequest() as never), (err: unknown) => isMoonTalkError(err, 'tokenMint'));
  });

  it('never relays upstream error text: a fixed message and a request id, the text in the log without any 5-character piece of the key', async () => {
    const redactor = new Redactor();
    redactor.addSecret(KEY);
    // What an upstream or a proxy might echo: the whole key, a cut-off key, a middle piece, a private detail.
    const upstreamText = `upstream rejected request with key ${KEY} (prefix ${KEY.slice(0, 13)}…, tail …${KEY.slice(14, 26)}) at /v1alpha/auth_tokens?key=${encodeURIComponent(KEY)} proxy-internal-host-42`;
    const ownLines: string[] = [];
    const server = new BrokerServer({
      config: config(),
      minter: { mint: async () => Promise.reject(new MoonTalkError('tokenMint', upstreamText)) },
      logger: rawLogger(ownLines),
      redactor,
      secrets: [KEY],
    });
    servers.push(server);
    const { baseUrl } = await server.start();
    const r = await call(`${baseUrl}/v1/tokens`, { credential: alice, body: tokenRequest() });
    assert.equal(r.status, 502);
    assert.match(r.json.error.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers['x-request-id'], r.json.error.requestId);
    assert.equal(r.json.error.message, `The upstream token service could not mint a token; the broker's operator can look it up by request id ${r.json.error.requestId}.`);
    assert.ok(!r.text.includes('proxy-internal-host-42') && !r.text.includes('upstream rejected'), `upstream text reached the client: ${r.text}`);
    const logged = ownLines.find((l) => l.includes(r.json.error.requestId) && l.includes('upstream mint failed'));
    assert.ok(logged, `no log line under the request id:\n${ownLines.join('\n')}`);
    assert.match(logged, /proxy-internal-host-42/, 'the operator needs the upstream text');
    for (const piece of pieces(KEY)) assert.ok(!logged.includes(piece), `"${piece}" of the key is in the log: ${logged}`);
    logLines.push(...ownLines);
  });

  it('reads at most 64 KiB of an upstream answer and aborts the rest (chunked or declared)', async () => {
    for (const declared of [false, true]) {
      let written = 0;
      let closed!: () => void;
      const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
      const upstream = createServer((req, res) => {
        req.resume();
        const total = 200 * 1024 * 1024;
        res.writeHead(500, { 'Content-Type': 'text/plain', ...(declared ? { 'Content-Length': String(total) } : {}) });
        const chunk = Buffer.alloc(256 * 1024, 'x');
        const pump = () => {
          while (written < total && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => closed());
        pump();
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      try {
        const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
        const redactor = new Redactor();
        redactor.addSecret(KEY);
        const server = new BrokerServer({ config: config(), minter: new RestTokenMinter(upstreamUrl, KEY, cappedFetch()), logger: rawLogger(logLines), redactor, secrets: [KEY] });
        servers.push(server);
        const { baseUrl } = await server.start();
        const r = await call(`${baseUrl}/v1/tokens`, { credential: alice, body: tokenRequest() });
        assert.equal(r.status, 502, r.text);
        await Promise.race([upstreamClosed, new Promise((_, reject) => setTimeout(() => reject(new Error('the upstream response was never aborted')), 5_000))]);
        // Socket buffers hold a few MB at most; reading the whole answer would be all 200 MB.
        assert.ok(written < 16 * 1024 * 1024, `the upstream got to write ${written} bytes (declared length: ${declared})`);
        assert.ok(logLines.some((l) => l.includes('larger than 65536 bytes')), 'the log says why');
      } finally {
        upstream.closeAllConnections();
        await new Promise<void>((r) => upstream.close(() => r()));
      }
    }
  });

  it('answers 400 naming an unknown constraint field, and signs a checked contextWindowCompression', async () => {
    const broker = await startBroker();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...LOCKED_CONSTRAINTS, bogus: 1 }, 'constraints.bogus'],
      [{ ...LOCKED_CONSTRAINTS, contextWindowCompression: { triggerTokens: 1000, evil: true } }, 'constraints.contextWindowCompression.evil'],
      [{ ...LOCKED_CONSTRAINTS, contextWindowCompression: { slidingWindow: { targetTokens: 10, extra: 1 } } }, 'constraints.contextWindowCompression.slidingWindow.extra'],
      [{ ...LOCKED_CONSTRAINTS, contextWindowCompression: { triggerTokens: 1e15 } }, 'constraints.contextWindowCompression.triggerTokens'],
      [{ ...LOCKED_CONSTRAINTS, generationConfig: { responseModalities: ['TEXT'], madeUp: 1 } }, 'constraints.generationConfig.madeUp'],
    ];
    for (const [constraints, field] of cases) {
      const r = await call(`${broker}/v1/tokens`, { credential: alice, body: tokenRequest({ constraints }) });
      assert.equal(r.status, 400, `${JSON.stringify(constraints)} -> ${r.text}`);
      assert.ok(r.json.error.message.includes(field), `${r.json.error.message} does not name ${field}`);
    }
    const ok = await call(`${broker}/v1/tokens`, {
      credential: alice,
      body: tokenRequest({ constraints: { ...LOCKED_CONSTRAINTS, contextWindowCompression: { triggerTokens: '20000', slidingWindow: { targetTokens: '10000' } } } }),
    });
    assert.equal(ok.status, 200, ok.text);
  });

  it('serves BrokerTokenMinter end to end: a whole Live session runs on a broker token', async () => {
    const broker = await startBroker();
    // The broker signs the default model only (its default allow-list); that model answers in audio, with a transcription.
    const h = await startHarness({
      existing: { emulator, baseUrl: emulatorUrl },
      auth: { mode: 'broker', minter: new BrokerTokenMinter(broker, bob) },
      session: { setup: { model: MODEL, responseModality: 'AUDIO' } },
    });
    try {
      await h.client.session.connect();
      const answer = await h.ask('Hello through the broker', 5_000);
      assert.match(answer, /Hello through the broker/);
      const name = h.client.tokens?.current?.name;
      assert.ok(name?.startsWith('auth_tokens/'));
      tokenNames.push(name!);
    } finally {
      await h.stop();
    }
    await assert.rejects(new BrokerTokenMinter(broker, generateCredential()).mint(tokenRequest() as never), (err: unknown) => isMoonTalkError(err, 'badKey'));
  });

  it('BrokerTokenMinter refuses plain http to a non-loopback host unless allowed (constructed only)', () => {
    for (const url of ['http://broker.example.com', 'http://10.1.2.3:8080', 'http://[2001:db8::1]:80']) {
      assert.throws(() => new BrokerTokenMinter(url, alice), (err: unknown) => isMoonTalkError(err, 'invalidConfig'), url);
      assert.doesNotThrow(() => new BrokerTokenMinter(url, alice, { allowInsecure: true }));
    }
    for (const url of ['https://broker.example.com', 'http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9']) {
      assert.doesNotThrow(() => new BrokerTokenMinter(url, alice), url);
    }
  });

  describe('moontalk-live broker (runBrokerCommand)', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(join(tmpdir(), 'mt-broker-cmd-'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    function io(stop?: AbortSignal) {
      const lines: JsonLine[] = [];
      const stdout: string[] = [];
      const redactor = new Redactor();
      const logger = new RedactingLogger((level, line) => logLines.push(`[${level}] ${line}`), redactor);
      return {
        lines,
        stdout,
        io: { emit: (l: JsonLine) => void lines.push(l), logger, redactor, env: { GEMINI_API_KEY: KEY } as NodeJS.ProcessEnv, stdout: (s: string) => void stdout.push(s), stop },
      };
    }

    it('add-client prints the credential once; the broker serves it until stopped', async () => {
      const file = join(dir, 'broker.json');
      const added = io();
      assert.equal(await runBrokerCommand(['add-client', '--file', file, '--id', 'carol'], added.io), 0);
      assert.equal(added.stdout.length, 1);
      const printed = JSON.parse(added.stdout[0]!);
      assert.equal(printed.type, 'clientCredential');
      assert.equal(printed.id, 'carol');
      assert.match(printed.credential, /^mtb_/);
      assert.ok(!(await fs.readFile(file, 'utf8')).includes(printed.credential));
      assert.ok(!logLines.some((l) => l.includes(printed.credential)), 'the credential is never logged');

      // The file's defaults allow only DEFAULT_MODEL; this suite's requests name MODEL.
      const written = JSON.parse(await fs.readFile(file, 'utf8'));
      await fs.writeFile(file, JSON.stringify({ ...written, allowedModels: [MODEL] }), { mode: 0o600 });
      const stop = new AbortController();
      const served = io(stop.signal);
      const running = runBrokerCommand(['--port', '0', '--credentials', file, '--base-url', emulatorUrl], served.io);
      const deadline = Date.now() + 5_000;
      while (served.lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(served.lines[0]?.type, 'listening');
      const baseUrl = served.lines[0]!['baseUrl'] as string;
      assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await call(`${baseUrl}/v1/tokens`, { credential: printed.credential, body: tokenRequest() });
      assert.equal(r.status, 200, r.text);
      stop.abort();
      assert.equal(await running, 0);
      await assert.rejects(fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }));
    });

    it('refuses bad flags with a UsageError naming the flag', async () => {
      const file = join(dir, 'broker.json');
      await addClientToFile(file, 'dave');
      const cases: Array<[string[], RegExp]> = [
        [['--port', '0'], /--credentials/],
        [['--credentials', file, '--port', 'abc'], /--port/],
        [['--credentials', file, '--port', '70000'], /--port/],
        [['--credentials', file, '--bogus'], /bogus/],
        [['--credentials', join(dir, 'missing.json')], /--credentials/],
        [['--credentials', file, '--base-url', 'not a url'], /--base-url/],
        [['--credentials', file, '--base-url', 'http://upstream.example.com'], /--base-url.*insecure/],
        [['add-client', '--id', 'x'], /--file/],
        [['add-client', '--file', file], /--id/],
        [['add-client', '--file', file, '--id', 'dave'], /--id.*already exists/],
        [['add-client', '--file', file, '--id', 'bad id'], /--id/],
        [['serve-all'], /unknown broker subcommand/],
      ];
      for (const [argv, message] of cases) {
        await assert.rejects(runBrokerCommand(argv, io().io), (err: unknown) => err instanceof UsageError && message.test(err.message), argv.join(' '));
      }
    });
  });


  // Child suites run after the tests above, in order: this one sees every response and log line.
  describe('leaks', () => {
    it('never shows the key (or any 5-character piece of it) in a response or the log, nor a whole token name in the log', () => {
      assert.ok(responses.length > 20, `checked ${responses.length} responses`);
      assert.ok(tokenNames.length > 5);
      const everything = responses.map((r) => `${JSON.stringify(r.headers)}\n${r.text}`);
      for (const secret of [KEY, WRONG_KEY]) {
        for (const piece of pieces(secret)) {
          for (const text of [...everything, ...logLines]) assert.ok(!text.includes(piece), `"${piece}" of a key leaked into: ${text.slice(0, 300)}`);
        }
      }
      for (const name of tokenNames) {
        const id = name.slice('auth_tokens/'.length);
        for (const line of logLines) assert.ok(!line.includes(id), `a whole token name leaked into the log: ${line.slice(0, 300)}`);
      }
    });
  });
});
