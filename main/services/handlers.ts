import type { CallName, CallOutput, ParsedCallInput } from '@shared/api/contract.ts';
import { about } from './about.ts';
import { deleteComparisonCall, listComparisonsCall, saveComparisonCall } from './comparisons.ts';
import type { ServiceContext } from './context.ts';
import type { PooledCall } from './call-pool.ts';
import { annotateCall, episodesListCall, keyResultsCall, pooledHandlers, runsPageCall, seriesCall } from './inspect.ts';
import { studyCall } from './study.ts';
import { syntheticListCall } from './synthetic-snapshots.ts';
import { cancelExperimentCall, cancelRunCall, getRunCall, listRunsCall, resumeRunCall, runLogCall, runResultsCall, startRunCall } from './runs.ts';

export type Handler<N extends CallName> = (input: ParsedCallInput<N>, ctx: ServiceContext) => Promise<CallOutput<N>>;

export type HandlerTable = { readonly [N in CallName]: Handler<N> };

/** A frame-heavy call: in the context's worker pool when it has one (off the event loop), else inline. */
function pooled<N extends PooledCall>(call: N): Handler<N> {
  return (input, ctx) => (ctx.calls ? ctx.calls.run(call, input, ctx.signal) : pooledHandlers[call](input, ctx));
}

/** The service behind every call of the contract; a call without one does not compile. */
export const handlers: HandlerTable = {
  'about.get': about,
  'runs.list': listRunsCall,
  'runs.get': getRunCall,
  'runs.results': runResultsCall,
  'runs.start': startRunCall,
  'runs.cancel': cancelRunCall,
  'runs.cancelExperiment': cancelExperimentCall,
  'runs.resume': resumeRunCall,
  'runs.log': runLogCall,
  'runs.page': runsPageCall,
  'runs.keyResults': keyResultsCall,
  'runs.annotate': annotateCall,
  'runs.series': seriesCall,
  'episodes.list': episodesListCall,
  'episodes.get': pooled('episodes.get'),
  'episodes.policy': pooled('episodes.policy'),
  'synthetic.list': syntheticListCall,
  'synthetic.get': pooled('synthetic.get'),
  'runs.distributions': pooled('runs.distributions'),
  'synthetic.nearest': pooled('synthetic.nearest'),
  'dataset.samples': pooled('dataset.samples'),
  'media.episodes': pooled('media.episodes'),
  'media.synthetic': pooled('media.synthetic'),
  'comparisons.list': listComparisonsCall,
  'comparisons.save': saveComparisonCall,
  'comparisons.delete': deleteComparisonCall,
  'study.get': studyCall,
};
