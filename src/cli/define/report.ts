// Commands that show a saved report: report (render again) and publish (the sticky PR comment).
import { reportCommand } from '../commands/report.ts';
import { publishCommand } from '../commands/publish.ts';
import { jsonOption, positiveInt, settingsOption } from '../options.ts';
import type { Definitions } from './types.ts';

export function defineReportCommands({ program, io, exit }: Definitions): void {
  program
    .command('report')
    .description('render the PR comment (and job summary) again from a saved JSON report')
    .option('--from <file>', 'the JSON report (default: <output>/report.json of the config)')
    .addOption(settingsOption())
    .option('-o, --out <file>', 'write the comment here (default: stdout)')
    .option('--summary <file>', 'also write the job-summary rendering here')
    .option('--html <file>', 'also write the self-contained HTML report here')
    .option('--template-dir <dir>', 'your own templates (comment.md.hbs, summary.md.hbs, partials/)')
    .option('--marker <id>', 'id of the sticky-comment marker', 'default')
    .action(async (flags) => exit(await reportCommand(io, flags)));

  program
    .command('publish')
    .description(
      'post a saved JSON report as the sticky PR comment (token in GITHUB_TOKEN; fork-safe workflows)',
    )
    .option('--from <file>', 'the JSON report (default: <output>/report.json of the config)')
    .addOption(settingsOption())
    .option('--repo <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option(
      '--pr <n>',
      "pull request number (default: the workflow_run event's pull request; never the report's)",
      positiveInt,
    )
    .option(
      '--app-login <login>',
      'login an installation token comments as (default github-actions[bot], the GITHUB_TOKEN app)',
    )
    .option('--marker <id>', 'id of the sticky-comment marker', 'default')
    .option('--template-dir <dir>', 'your own templates')
    .addOption(jsonOption())
    .action(async (flags) => exit(await publishCommand(io, flags)));
}
