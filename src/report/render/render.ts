// Renders the report model with handlebars templates in strict mode (a missing field is an error, not
// an empty string). Templates are passed in as text, so this module stays pure; the model is already
// escaped, so templates place its strings as they are.
import Handlebars from 'handlebars';
import type { ReportModel } from '../model/build-model.ts';

export interface TemplateSet {
  comment: string;
  summary: string;
  partials: Record<string, string>;
}

/** GitHub rejects comment bodies over 65,536 characters; stay well under it. */
export const COMMENT_LIMIT = 60_000;

export type Renderer = (model: ReportModel) => string;

function engine(partials: Record<string, string>): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  for (const [name, source] of Object.entries(partials)) hb.registerPartial(name, source);
  return hb;
}

export function compileTemplates(set: TemplateSet): { comment: Renderer; summary: Renderer } {
  const hb = engine(set.partials);
  const compile = (source: string, name: string): Renderer => {
    const template = hb.compile(source, { strict: true, noEscape: true });
    return (model) => {
      try {
        return template(model);
      } catch (err) {
        throw new Error(`template ${name}: ${(err as Error).message}`);
      }
    };
  };
  return { comment: compile(set.comment, 'comment.md.hbs'), summary: compile(set.summary, 'summary.md.hbs') };
}

/**
 * Renders within a size limit: first with every detail, then with fewer detail rows, then without the
 * collapsed sections, and as a last resort cut with a note. The JSON report always has everything.
 */
export function renderWithinLimit(render: Renderer, model: ReportModel, limit = COMMENT_LIMIT): string {
  let body = render(model);
  if (body.length <= limit) return body;
  let rows = model.details.length;
  while (rows > 0) {
    rows = Math.floor(rows / 2);
    const smaller: ReportModel = {
      ...model,
      details: model.details.slice(0, rows),
      detailsOmitted: model.detailsOmitted + model.details.length - rows,
      truncated: true,
    };
    body = render(smaller);
    if (body.length <= limit) return body;
  }
  const minimal: ReportModel = {
    ...model,
    details: [],
    detailsOmitted: model.detailsOmitted + model.details.length,
    warnings: [],
    improvements: [],
    inconclusive: [],
    reasons: model.reasons.slice(0, 5),
    environment: model.environment.slice(0, 5),
    unmatched: model.unmatched.slice(0, 10),
    regressions: model.regressions.slice(0, 50),
    chart: '',
    truncated: true,
  };
  body = render(minimal);
  if (body.length <= limit) return body;
  const note = "\n\n_This comment was cut to fit GitHub's size limit; see the JSON report._\n";
  return body.slice(0, limit - note.length) + note;
}
