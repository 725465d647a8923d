// The one publishing path, with a fake publisher (an in-memory comment and summary): after a gate it is
// best effort (a refusal is a warning and a note in the summary), as the job itself it is required.
import { describe, expect, it } from 'vitest';
import type { CommentOutcome, Logger, Publisher } from '../../src/contracts/ports.ts';
import { publishReport, type PublishInput } from '../../src/usecases/publish.ts';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return {
    lines,
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    progress: () => {},
    progressDone: () => {},
  };
}

function fakePublisher(answer: CommentOutcome | Error): Publisher & { summaries: string[] } {
  const summaries: string[] = [];
  return {
    summaries,
    async comment() {
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async summary(markdown) {
      summaries.push(markdown);
    },
  };
}

const forbidden: CommentOutcome = { action: 'forbidden', status: 403, message: 'read-only token' };
const input = (policy: PublishInput['policy']): PublishInput => ({
  comment: { body: 'body', marker: 'default', file: '.perf-gate/comment.md', where: 'pull request #7' },
  summary: '## summary',
  policy,
});

describe('publishReport', () => {
  it('posts the comment, warns about marked comments by others, and writes the summary', async () => {
    const logger = recorder();
    const publisher = fakePublisher({
      action: 'updated',
      id: 3,
      url: 'https://x/3',
      duplicates: [],
      ignored: [{ author: 'mallory' }],
    });
    const done = await publishReport(input('best-effort'), { publisher, logger });
    expect(done.commentUrl).toBe('https://x/3');
    expect(publisher.summaries).toEqual(['## summary']);
    expect(logger.lines).toContain(
      "warn: 1 comment(s) by others carry perf-gate's marker (mallory); they were left alone",
    );
  });

  it('after a gate, a refused comment is a warning and a note in the summary; the job goes on', async () => {
    const logger = recorder();
    const publisher = fakePublisher(forbidden);
    const done = await publishReport(input('best-effort'), { publisher, logger });
    expect(done.commentUrl).toBe('');
    expect(logger.lines.join('\n')).toMatch(/warn: cannot comment on pull request #7 \(HTTP 403/);
    expect(publisher.summaries[0]).toMatch(/could not be posted \(HTTP 403\)/);
    const failing = fakePublisher(new Error('socket hang up'));
    await publishReport(input('best-effort'), { publisher: failing, logger });
    expect(logger.lines.join('\n')).toMatch(
      /posting the comment failed \(socket hang up\); the verdict stands/,
    );
  });

  it('as the job itself, a refusal is an error and a failure is thrown', async () => {
    const logger = recorder();
    const done = await publishReport(input('required'), { publisher: fakePublisher(forbidden), logger });
    expect(done.comment?.action).toBe('forbidden');
    expect(logger.lines.join('\n')).toMatch(/error: GitHub refused the comment on pull request #7/);
    await expect(
      publishReport(input('required'), { publisher: fakePublisher(new Error('socket hang up')), logger }),
    ).rejects.toThrow(/socket hang up/);
  });

  it('without a way to comment, says where the comment is, and still writes the summary', async () => {
    const logger = recorder();
    const summaries: string[] = [];
    await publishReport(input('best-effort'), {
      publisher: { summary: async (m) => void summaries.push(m) },
      logger,
    });
    expect(logger.lines).toContain(
      'warn: no github-token: the comment was not posted; it is in .perf-gate/comment.md',
    );
    expect(summaries).toEqual(['## summary']);
  });
});
