// A loopback HTTP server that speaks the subset of the GitHub REST API perf-gate calls: issue comments
// (list with real Link pagination, create, update), a pull request, its files (paginated), its labels,
// its label events, pull requests by head, a collaborator's permission and the token's own user.
// Comments are written as the token's identity: an app token (the default, like GITHUB_TOKEN) writes as
// github-actions[bot] and gets 403 from GET /user; a user token (addUserToken) writes as that user.
// It records every request and can be told to fail (403, 429 with retry-after, 5xx, rate limits, a hang)
// so the real Octokit, pointed at it by base URL, is tested end to end.
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
  state?: 'open' | 'closed';
}

export interface FakeLabelEvent {
  label: string;
  actor: string;
  /** ISO time; default: the fake's clock. */
  at?: string;
  event?: 'labeled' | 'unlabeled';
}

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export type FailureMode =
  | { kind: 'forbidden'; message?: string }
  | { kind: 'not-found' }
  | { kind: 'rate-limit-429'; retryAfterSeconds?: number }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number }
  | { kind: 'primary-rate-limit'; resetEpochSeconds: number }
  | { kind: 'server-error'; status?: number }
  /** Never answers (until the server closes): a request that times out. */
  | { kind: 'hang' };

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
  private readonly events = new Map<string, Array<Required<FakeLabelEvent>>>();
  private readonly permissions = new Map<string, RepoPermission>();
  private readonly userTokens = new Map<string, FakeComment['user']>();
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

  /** A personal or user-to-server token: GET /user answers this login, comments are written as it. */
  addUserToken(token: string, login: string): void {
    this.userTokens.set(token, { login, type: 'User' });
  }

  /** Label events of an issue or pull request (GET .../issues/N/events), oldest first. */
  addLabelEvents(owner: string, repo: string, issue: number, events: FakeLabelEvent[]): void {
    const key = `${owner}/${repo}#${issue}`;
    const list = this.events.get(key) ?? [];
    for (const e of events) {
      this.clock += 1000;
      list.push({ event: 'labeled', at: new Date(this.clock).toISOString(), ...e });
    }
    this.events.set(key, list);
  }

  /** A user's permission on the repository (GET .../collaborators/U/permission); default 'read'. */
  setPermission(owner: string, repo: string, login: string, permission: RepoPermission): void {
    this.permissions.set(`${owner}/${repo}@${login.toLowerCase()}`, permission);
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
    const author = this.identityOf(req.headers.authorization);
    if (rule) {
      rule.left--;
      if (rule.afterApplying) this.route(method, u, body, discardResponse(), author);
      this.sendFailure(res, rule.mode);
      return;
    }
    this.route(method, u, body, res, author);
  }

  /** Who a token writes as: a registered user token's login, else the Actions app's bot. */
  private identityOf(authorization: string | undefined): FakeComment['user'] | undefined {
    const token = authorization?.replace(/^(token|bearer)\s+/i, '') ?? '';
    if (token === '') return undefined;
    return this.userTokens.get(token) ?? BOT;
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
      case 'hang':
        return; // closeAllConnections() ends it
    }
  }

  private route(
    method: string,
    u: URL,
    body: unknown,
    res: http.ServerResponse,
    author: FakeComment['user'] | undefined,
  ): void {
    const p = u.pathname;
    let m: RegExpMatchArray | null;
    if (p === '/user' && method === 'GET') {
      if (!author) return json(res, 401, { message: 'Requires authentication' });
      if (author.type === 'Bot') return json(res, 403, { message: 'Resource not accessible by integration' });
      return json(res, 200, { login: author.login, type: author.type, id: 1 });
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/events$/)) && method === 'GET') {
      const [, owner, repo, n] = m as unknown as [string, string, string, string];
      const events = (this.events.get(`${owner}/${repo}#${n}`) ?? []).map((e, i) => ({
        id: i + 1,
        event: e.event,
        actor: { login: e.actor, type: 'User' },
        created_at: e.at,
        label: { name: e.label, color: 'ededed' },
      }));
      return this.paginated(res, u, events);
    }
    if (
      (m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/)) &&
      method === 'GET'
    ) {
      const [, owner, repo, login] = m as unknown as [string, string, string, string];
      const role =
        this.permissions.get(`${owner}/${repo}@${decodeURIComponent(login).toLowerCase()}`) ?? 'read';
      // `permission` is the legacy field (maintain reads as write, triage as read); role_name is exact.
      const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return json(res, 200, {
        permission: legacy,
        role_name: role,
        user: { login: decodeURIComponent(login) },
      });
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls$/)) && method === 'GET') {
      const [, owner, repo] = m as unknown as [string, string, string];
      const head = u.searchParams.get('head');
      const state = u.searchParams.get('state') ?? 'open';
      const list = [...this.pulls.entries()]
        .filter(([key]) => key.startsWith(`${owner}/${repo}#`))
        .map(([, pull]) => pull)
        .filter((pull) => state === 'all' || (pull.state ?? 'open') === state)
        .filter((pull) => {
          if (!head) return true;
          const [headOwner, headRef] = head.split(':');
          const headRepo = pull.headRepo ?? `${owner}/${repo}`;
          return headRepo.split('/')[0] === headOwner && (pull.headRef ?? 'feature') === headRef;
        })
        .map((pull) => this.pullJson(owner, repo, pull));
      return this.paginated(res, u, list);
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/pulls$/)) && method === 'GET') {
      const [, owner, repo, sha] = m as unknown as [string, string, string, string];
      // Like GitHub: only pull requests whose head is in this repository are found by commit.
      const list = [...this.pulls.entries()]
        .filter(
          ([key, pull]) => key.startsWith(`${owner}/${repo}#`) && (pull.headSha ?? 'a'.repeat(40)) === sha,
        )
        .filter(([, pull]) => (pull.headRepo ?? `${owner}/${repo}`) === `${owner}/${repo}`)
        .map(([, pull]) => this.pullJson(owner, repo, pull));
      return this.paginated(res, u, list);
    }
    if ((m = p.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const [, owner, repo, n] = m as unknown as [string, string, string, string];
      if (method === 'GET') return this.paginated(res, u, this.issueComments(owner, repo, Number(n)));
      if (method === 'POST') {
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') return json(res, 422, { message: 'Validation Failed' });
        if (!author) return json(res, 401, { message: 'Requires authentication' });
        return json(res, 201, this.insertComment(owner, repo, Number(n), text, author));
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
      state: pull.state ?? 'open',
      draft: false,
      html_url: `https://github.com/${full}/pull/${pull.number}`,
      labels: pull.labels.map(labelJson),
      head: {
        ref: pull.headRef ?? 'feature',
        sha: pull.headSha ?? 'a'.repeat(40),
        repo: {
          full_name: pull.headRepo ?? full,
          owner: { login: (pull.headRepo ?? full).split('/')[0] },
        },
        label: `${(pull.headRepo ?? full).split('/')[0]}:${pull.headRef ?? 'feature'}`,
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
