// A loopback HTTP server that speaks the subset of the GitHub REST API perf-gate calls: issue comments
// (list with real Link pagination, create, update), a pull request, its files (paginated) and its labels.
// It records every request and can be told to fail (403, 429 with retry-after, 5xx, rate limits) so
// the real Octokit, pointed at it by base URL, is tested end to end.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query string as sent. */
  url: string;
  pathname: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface FakeFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
  additions?: number;
  deletions?: number;
}

export interface FakePull {
  number: number;
  labels: string[];
  files: FakeFile[];
  headSha?: string;
  headRef?: string;
  baseRef?: string;
  /** full_name of the head repository; default: the base repository (not a fork). */
  headRepo?: string;
}

export type FailureMode =
  | { kind: 'forbidden'; message?: string }
  | { kind: 'not-found' }
  | { kind: 'rate-limit-429'; retryAfterSeconds?: number }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number }
  | { kind: 'primary-rate-limit'; resetEpochSeconds: number }
  | { kind: 'server-error'; status?: number };

export interface FailureRule {
  method?: string;
  /** Matched against the pathname: a substring or a regular expression. */
  path?: string | RegExp;
  /** How many matching requests fail; default 1. Infinity fails them all. */
  times?: number;
  mode: FailureMode;
  /** Carry the request out, then answer with the failure (a gateway timing out after the write). */
  afterApplying?: boolean;
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private readonly comments = new Map<string, FakeComment[]>();
  private readonly pulls = new Map<string, FakePull>();
  private readonly failures: Array<FailureRule & { left: number }> = [];
  private nextId = 1000;
  private clock = Date.UTC(2026, 0, 1);

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitHub> {
    const holder: { fake?: FakeGitHub } = {};
    const server = http.createServer((req, res) => {
      void holder.fake!.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeGitHub(server, `http://127.0.0.1:${port}`);
    return holder.fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds comments to an issue; each gets a later created_at than the one before. */
  addComments(
    owner: string,
    repo: string,
    issue: number,
    bodies: string[],
    user: FakeComment['user'] = { login: 'someone', type: 'User' },
  ): FakeComment[] {
    return bodies.map((body) => this.insertComment(owner, repo, issue, body, user));
  }

  issueComments(owner: string, repo: string, issue: number): FakeComment[] {
    return this.comments.get(`${owner}/${repo}#${issue}`) ?? [];
  }

  addPull(owner: string, repo: string, pull: FakePull): void {
    this.pulls.set(`${owner}/${repo}#${pull.number}`, pull);
  }

  fail(rule: FailureRule): void {
    this.failures.push({ ...rule, left: rule.times ?? 1 });
  }

  requestsMatching(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.pathname === path : path.test(r.pathname)),
    );
  }

  private insertComment(
    owner: string,
    repo: string,
    issue: number,
    body: string,
    user: FakeComment['user'],
  ): FakeComment {
    const id = this.nextId++;
    this.clock += 1000;
    const at = new Date(this.clock).toISOString();
    const comment: FakeComment = {
      id,
      body,
      user,
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
    };
    const key = `${owner}/${repo}#${issue}`;
    this.comments.set(key, [...(this.comments.get(key) ?? []), comment]);
    return comment;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', this.url);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      url: `${u.pathname}${u.search}`,
      pathname: u.pathname,
      query: Object.fromEntries(u.searchParams),
      body,
      authorization: req.headers.authorization,
    });

    const rule = this.failures.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method === method) &&
        (f.path === undefined ||
          (typeof f.path === 'string' ? u.pathname.includes(f.path) : f.path.test(u.pathname))),
    );
    if (rule) {
      rule.left--;
      if (rule.afterApplying) this.route(method, u, body, discardResponse());
      this.sendFailure(res, rule.mode);
      return;
    }
    this.route(method, u, body, res);
  }

  private sendFailure(res: http.ServerResponse, mode: FailureMode): void {
    const docs = 'https://docs.github.com/rest';
    switch (mode.kind) {
      case 'forbidden':
        return json(res, 403, {
          message: mode.message ?? 'Resource not accessible by integration',
          documentation_url: docs,
        });
      case 'not-found':
        return json(res, 404, { message: 'Not Found', documentation_url: docs });
      case 'rate-limit-429':
        return json(
          res,
          429,
          { message: 'Too Many Requests' },
          {
            'retry-after': String(mode.retryAfterSeconds ?? 1),
          },
        );
      case 'secondary-rate-limit':
        return json(
          res,
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: docs,
          },
          { 'retry-after': String(mode.retryAfterSeconds ?? 1) },
        );
      case 'primary-rate-limit':
        return json(
          res,
          403,
          { message: 'API rate limit exceeded for installation.', documentation_url: docs },
          {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(mode.resetEpochSeconds),
          },
        );
      case 'server-error':
        return json(res, mode.status ?? 500, { message: 'Server Error' });
    }
  }

  private route(method: string, u: URL, body: unknown, res: http.ServerResponse): void {
    const p = u.pathname;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const [, owner, repo, n] = m as unknown as [string, string, string, string];
      if (method === 'GET') return this.paginated(res, u, this.issueComments(owner, repo, Number(n)));
      if (method === 'POST') {
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') return json(res, 422, { message: 'Validation Failed' });
        return json(res, 201, this.insertComment(owner, repo, Number(n), text, BOT));
      }
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/)) && method === 'PATCH') {
      const [, owner, repo, id] = m as unknown as [string, string, string, string];
      const text = (body as { body?: unknown } | undefined)?.body;
      for (const [key, list] of this.comments) {
        if (!key.startsWith(`${owner}/${repo}#`)) continue;
        const c = list.find((x) => x.id === Number(id));
        if (!c) continue;
        if (typeof text !== 'string') return json(res, 422, { message: 'Validation Failed' });
        c.body = text;
        this.clock += 1000;
        c.updated_at = new Date(this.clock).toISOString();
        return json(res, 200, c);
      }
      return json(res, 404, { message: 'Not Found' });
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)(\/files)?$/)) && method === 'GET') {
      const [, owner, repo, n, files] = m as unknown as [string, string, string, string, string | undefined];
      const pull = this.pulls.get(`${owner}/${repo}#${n}`);
      if (!pull) return json(res, 404, { message: 'Not Found' });
      if (files) {
        return this.paginated(
          res,
          u,
          pull.files.slice(0, 3000).map((f, i) => ({
            sha: `${i}`.padStart(40, '0'),
            additions: 0,
            deletions: 0,
            ...f,
            changes: (f.additions ?? 0) + (f.deletions ?? 0),
          })),
        );
      }
      return json(res, 200, this.pullJson(owner, repo, pull));
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels$/)) && method === 'GET') {
      const [, owner, repo, n] = m as unknown as [string, string, string, string];
      const pull = this.pulls.get(`${owner}/${repo}#${n}`);
      if (!pull) return json(res, 404, { message: 'Not Found' });
      return this.paginated(res, u, pull.labels.map(labelJson));
    }
    return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  private pullJson(owner: string, repo: string, pull: FakePull) {
    const full = `${owner}/${repo}`;
    return {
      number: pull.number,
      state: 'open',
      draft: false,
      html_url: `https://github.com/${full}/pull/${pull.number}`,
      labels: pull.labels.map(labelJson),
      head: {
        ref: pull.headRef ?? 'feature',
        sha: pull.headSha ?? 'a'.repeat(40),
        repo: { full_name: pull.headRepo ?? full },
      },
      base: { ref: pull.baseRef ?? 'main', sha: 'b'.repeat(40), repo: { full_name: full } },
    };
  }

  /** GitHub-style pages: per_page (default 30, max 100), page (1-based), and a Link header. */
  private paginated(res: http.ServerResponse, u: URL, items: unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const q = new URLSearchParams(u.searchParams);
      q.set('per_page', String(perPage));
      q.set('page', String(n));
      return `<${this.url}${u.pathname}?${q.toString()}>`;
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) rels.push(`${link(1)}; rel="first"`);
    json(
      res,
      200,
      items.slice((page - 1) * perPage, page * perPage),
      rels.length ? { link: rels.join(', ') } : {},
    );
  }
}

/** A response sink for requests whose real answer is replaced by a failure. */
function discardResponse(): http.ServerResponse {
  return { writeHead: () => undefined, end: () => undefined } as unknown as http.ServerResponse;
}

function labelJson(name: string, i: number) {
  return { id: i + 1, name, color: 'ededed', description: null, default: false };
}

function json(res: http.ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(data);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
  res.end(text);
}
