// `perf-gate report`: renders the comment and summary again from a saved JSON report, without load.
// `perf-gate publish`: posts a saved report as the sticky PR comment: the second half of the fork-safe
// two-workflow pattern (docs/workflows.md), run where the token can write.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError, UsageError } from '../../engine/errors.ts';
import { createGitHubClient } from '../../github/client.ts';
import { upsertStickyComment } from '../../github/comments.ts';
import { renderReport } from '../../report/report.ts';
import { loadTemplates } from '../../report/templates.ts';
import { atomicWrite } from '../../store/file-store.ts';
import { decodeReportJson } from '../../store/codec/report-codec.ts';
import type { ReportJson } from '../../report/model/report-json.ts';
import { Redactor } from '../../util/redact.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings, writeJson } from '../shared.ts';

const DEFAULT_REPORT_FILE = '.perf-gate/report.json';
import type { CliIo } from '../context.ts';

async function readReport(io: CliIo, file: string): Promise<ReportJson> {
  const abs = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read report ${file}: ${(err as Error).message}`, abs);
  }
  return decodeReportJson(text, file);
}

export interface ReportFlags {
  from?: string;
  config?: string;
  out?: string;
  summary?: string;
  html?: string;
  templateDir?: string;
  marker?: string;
}

export async function reportCommand(io: CliIo, flags: ReportFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const settings = flags.from ? undefined : await loadSettings(io, flags.config, logger);
  const from = flags.from ?? (settings ? path.join(settings.outputDir, 'report.json') : DEFAULT_REPORT_FILE);
  const report = await readReport(io, from);
  const rendered = renderReport(
    report,
    loadTemplates(flags.templateDir ? path.resolve(io.cwd, flags.templateDir) : undefined),
    {
      ...(flags.marker ? { markerId: flags.marker } : {}),
      ...(flags.html ? { htmlReport: path.relative(io.cwd, path.resolve(io.cwd, flags.html)) } : {}),
    },
  );
  if (flags.out) await atomicWrite(path.resolve(io.cwd, flags.out), rendered.comment);
  else io.stdout.write(rendered.comment);
  if (flags.summary) await atomicWrite(path.resolve(io.cwd, flags.summary), rendered.summary);
  if (flags.html) await atomicWrite(path.resolve(io.cwd, flags.html), rendered.html);
  return 0;
}

export interface PublishFlags {
  from?: string;
  config?: string;
  repo?: string;
  pr?: number;
  marker?: string;
  templateDir?: string;
  json?: boolean;
}

export async function publishCommand(io: CliIo, flags: PublishFlags): Promise<number> {
  const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || '';
  if (!token) throw new UsageError('perf-gate publish needs a token in GITHUB_TOKEN (or GH_TOKEN)');
  const redactor = new Redactor([token]);
  const logger = createStderrLogger({ stream: io.stderr, redactor });
  const settings = flags.from ? undefined : await loadSettings(io, flags.config, logger);
  const from = flags.from ?? (settings ? path.join(settings.outputDir, 'report.json') : DEFAULT_REPORT_FILE);
  const report = await readReport(io, from);
  const repository = flags.repo ?? report.context.repository ?? io.env.GITHUB_REPOSITORY;
  const number = flags.pr ?? report.context.pullRequest?.number;
  if (!repository || !/^[^/]+\/[^/]+$/.test(repository)) {
    throw new UsageError('which repository? pass --repo owner/name (the report does not say)');
  }
  if (!number) throw new UsageError('which pull request? pass --pr N (the report does not say)');
  const [owner, repo] = repository.split('/') as [string, string];
  const marker = flags.marker ?? 'default';
  const rendered = renderReport(
    report,
    loadTemplates(flags.templateDir ? path.resolve(io.cwd, flags.templateDir) : undefined),
    { markerId: marker },
    redactor,
  );
  const client = createGitHubClient({ token, baseUrl: io.env.GITHUB_API_URL, logger, redactor });
  const result = await upsertStickyComment(client, {
    owner,
    repo,
    issueNumber: number,
    body: rendered.comment,
    marker,
  });
  if (result.action === 'forbidden') {
    logger.error(
      `GitHub refused the comment on ${repository}#${number} (HTTP ${result.status}: ${result.message})`,
    );
    return 3;
  }
  logger.info(`comment ${result.action}: ${result.url}`);
  if (flags.json) writeJson(io, result);
  return 0;
}
