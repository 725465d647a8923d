// What every Action mode needs, built once from the environment: the inputs, the event, the config, the
// masking, the logger, the run's facts and the baseline store.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { loadConfig, type LoadedConfig } from '../src/config/load.ts';
import { gitInfo, hostInfo, toolVersions } from '../src/measure/meta.ts';
import type { RunMeta } from '../src/contracts/run-result.ts';
import { createBaselineStore, githubRemote } from '../src/usecases/baseline-stores.ts';
import type { Logger } from '../src/contracts/ports.ts';
import type { HistoryStore } from '../src/store/types.ts';
import { childEnv } from '../src/util/child-env.ts';
import type { Redactor } from '../src/util/redact.ts';
import { eventInfo, parseInputs, resolveMode, type ActionInputs, type EventInfo } from './inputs.ts';

export type Env = Record<string, string | undefined>;

export interface ActionContext {
  env: Env;
  inputs: ActionInputs;
  event: EventInfo;
  mode: 'gate' | 'baseline';
  cwd: string;
  config: LoadedConfig;
  /** What perf-gate starts (the service, k6, kubectl) runs in: without the token or any INPUT_*. */
  childEnvironment: Env;
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  store: HistoryStore;
  redactor: Redactor;
  logger: Logger;
}

function readEvent(env: Env): EventInfo {
  const name = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      core.warning(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
    }
  }
  return eventInfo(name, payload, env.GITHUB_REF);
}

export async function actionContext(env: Env, redactor: Redactor, logger: Logger): Promise<ActionContext> {
  const inputs = parseInputs(env);
  if (inputs.githubToken) {
    redactor.add(inputs.githubToken, true);
    core.setSecret(inputs.githubToken);
  }
  const cwd = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory);
  const event = readEvent(env);
  const config = await loadConfig({
    configPath: path.resolve(cwd, inputs.config),
    env,
    cwd,
    ...(inputs.targetUrl ? { targetOverride: inputs.targetUrl } : {}),
  });
  // `::add-mask::` for every value perf-gate masks itself (numbers and short values are not secrets).
  for (const s of config.secrets) redactor.add(s);
  for (const s of redactor.values()) core.setSecret(s);
  const git = gitInfo(cwd, env);
  const store = createBaselineStore(
    inputs.store === 'file'
      ? { kind: 'file', dir: config.baselineDir }
      : {
          kind: 'git',
          remote: githubRemote(env),
          dataBranch: inputs.storeBranch,
          ...(inputs.githubToken ? { token: inputs.githubToken } : {}),
        },
    { logger, redactor },
  );
  return {
    env,
    inputs,
    event,
    mode: resolveMode(inputs.mode, event),
    cwd,
    config,
    childEnvironment: childEnv(env, { secrets: [inputs.githubToken] }),
    meta: { ...(git ? { git } : {}), tool: toolVersions(), host: hostInfo() },
    store,
    redactor,
    logger,
  };
}
