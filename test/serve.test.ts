import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldOfflineSite } from './helpers/scaffold.js';
import { REPO, runCli } from './helpers/site.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as given (fetch would resolve "/../" before sending). */
function get(origin: string, path: string, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path, method, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

class Serving {
  readonly child: ChildProcess;
  log = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  /** Resolves to the first match of `pattern` in the output, once there are `count` matches. */
  async waitFor(pattern: RegExp, count = 1): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const matches = [...this.log.matchAll(new RegExp(pattern, 'g'))];
      if (matches.length >= count) return matches[count - 1]!;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`waited in vain for ${pattern}; output:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    const exited = new Promise<number | null>((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

describe('newsstand serve', () => {
  const temp = mkdtempSync(join(tmpdir(), 'newsstand-serve-'));
  const site = join(temp, 'news');
  const running: Serving[] = [];
  let configFile: string;

  beforeAll(async () => {
    configFile = await scaffoldOfflineSite(site);
    writeFileSync(join(site, 'source', 'data.json'), '{"served": true}\n');
    writeFileSync(join(site, 'source', 'mark.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    const sync = await runCli(['sync', '--config', configFile]);
    expect(sync.code, sync.stderr).toBe(0);
  });

  afterAll(async () => {
    await Promise.all(running.map((serving) => serving.stop()));
    rmSync(temp, { recursive: true, force: true });
  });

  function serve(args: string[]): Serving {
    const serving = new Serving([...args, '--config', configFile]);
    running.push(serving);
    return serving;
  }

  it('builds, serves public/ on loopback, rebuilds on change, and stops on SIGTERM', async () => {
    const serving = serve(['--port', '0']);
    const [, origin] = await serving.waitFor(/Serving .+ at (http:\/\/127\.0\.0\.1:\d+)\/ — Ctrl-C to stop/);
    expect(serving.log).toMatch(/Built the site with Hexo: \d+ files in \d+\.\ds/);

    const home = await get(origin!, '/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('新闻站');

    const [post] = readdirSync(join(site, 'source/_posts'));
    const id = post!.slice('2026-11-20-'.length, -'.md'.length);
    const postFile = join(site, 'source/_posts', post!);
    const title = /^title: '(.*)'$/m.exec(readFileSync(postFile, 'utf8'))![1]!;
    const page = await get(origin!, `/p/${id}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(title);
    const bare = await get(origin!, `/p/${id}?from=test`);
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe(`/p/${id}/?from=test`);

    expect((await get(origin!, '/data.json')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await get(origin!, '/mark.svg')).headers['content-type']).toBe('image/svg+xml');

    const head = await get(origin!, '/data.json', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(statSync(join(site, 'public/data.json')).size));
    expect(head.body).toBe('');

    for (const path of [
      '/no-such-page/',
      '/../newsstand.yml',
      '/../../../../etc/passwd',
      '/%2e%2e/newsstand.yml',
      '/%2E%2E%2Fnewsstand.yml',
      '/..%2f..%2fetc%2fpasswd',
      '/index.html%00.json',
      '/%E0%A4%A',
    ]) {
      const answer = await get(origin!, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toContain('sources:');
    }
    expect((await get(origin!, '/', 'POST')).status).toBe(405);

    writeFileSync(postFile, readFileSync(postFile, 'utf8').replace(/^title: .*$/m, "title: 'Edited while serving'"));
    await serving.waitFor(/Rebuilt: \d+ files in \d+\.\ds/);
    expect((await get(origin!, `/p/${id}/`)).body).toContain('Edited while serving');

    // A rebuild that fails keeps the last good site up.
    const hexoConfig = join(site, '_config.yml');
    const goodConfig = readFileSync(hexoConfig, 'utf8');
    writeFileSync(hexoConfig, `${goodConfig}\ntitle: twice\n`);
    await serving.waitFor(/Rebuild failed, still serving the last good build: .*_config\.yml/);
    expect((await get(origin!, `/p/${id}/`)).status).toBe(200);

    // Served below the path of `url`, as on a GitHub Pages project site.
    writeFileSync(hexoConfig, goodConfig.replace(/^url: .*$/m, 'url: https://someone.github.io/news'));
    await serving.waitFor(/Serving .+ at http:\/\/127\.0\.0\.1:\d+\/news\/\n/);
    expect((await get(origin!, `/news/p/${id}/`)).status).toBe(200);
    expect((await get(origin!, `/p/${id}/`)).status).toBe(404);
    expect((await get(origin!, '/news')).headers.location).toBe('/news/');
    expect((await get(origin!, '/')).headers.location).toBe('/news/');
    writeFileSync(hexoConfig, goodConfig);
    await serving.waitFor(/Serving .+ at http:\/\/127\.0\.0\.1:\d+\/\n/);

    expect(await serving.stop()).toBe(0);
    expect(serving.log).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the port when it is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const serving = serve(['--port', String(port), '--no-build']);
      expect(await new Promise((resolve) => serving.child.on('exit', resolve))).toBe(2);
      expect(serving.log).toContain(`port ${port}`);
      expect(serving.log).toContain('--port');
    } finally {
      taken.close();
    }
  });

  it('exits 2 on a port that is not a number', async () => {
    const result = await runCli(['serve', '--port', 'eighty', '--config', configFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port eighty');
  });
});
