// `perf-gate report`: renders the comment and summary again from a saved JSON report, without load.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../../contracts/errors.ts';
import { renderReport } from '../../report/report.ts';
import { loadTemplates } from '../../report/templates.ts';
import { atomicWrite } from '../../util/atomic-write.ts';
import { decodeReportJson } from '../../store/codec/report-codec.ts';
import type { ReportJson } from '../../report/model/report-json.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings } from '../shared.ts';
import type { CliIo } from '../context.ts';

export const DEFAULT_REPORT_FILE = '.perf-gate/report.json';

/** The JSON report a command renders or posts: validated whole against its schema. */
export async function readReport(io: CliIo, file: string): Promise<ReportJson> {
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
