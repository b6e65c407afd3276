/** Expert source `file`: an expert network exported to a file (`ddrl export-expert`), loaded. */
import { resolve } from 'node:path';
import type { StageCommit, StageContext } from '../stage-context.ts';
import { readExpertFile } from './expert-file.ts';
import { adoptedExpert } from './keys.ts';

export function fileExpert(ctx: StageContext): StageCommit {
  // A relative path is the working directory's, as for every path the CLI takes.
  const path = resolve(ctx.config.expert.file!);
  const { header, weights } = readExpertFile(path);
  const { game, mode } = ctx.config;
  if (header.game !== game || header.mode !== mode)
    throw new Error(
      `expert.file=${ctx.config.expert.file} holds a ${header.game} ${header.mode} expert; this run plays ${game} ${mode}: name an expert of ${game} ${mode}.`,
    );
  const returns = header.returns.map((r) => `${r.split.toUpperCase()} ${r.mean.toFixed(2)} [${r.ciLow.toFixed(2)}, ${r.ciHigh.toFixed(2)}]`).join(', ');
  ctx.log(
    `loads the expert network of ${path} (sha256 ${header.sha256.slice(0, 12)}, ${header.architecture}): trained as ${header.origin} with expert.source=${String(header.trainedWith['source'])}${returns ? `, where it scored ${returns}` : ''}; nothing trained`,
  );
  return adoptedExpert(ctx.runId, header.architecture, weights);
}
