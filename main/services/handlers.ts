import type { CallName, CallOutput, ParsedCallInput } from '@shared/api/contract.ts';
import { about } from './about.ts';
import { deleteComparisonCall, listComparisonsCall, saveComparisonCall } from './comparisons.ts';
import type { ServiceContext } from './context.ts';
import { episodeGetCall, episodesListCall, realSamplesCall, runsPageCall, seriesCall, syntheticGetCall, syntheticListCall } from './inspect.ts';
import { cancelRunCall, getRunCall, listRunsCall, resumeRunCall, runResultsCall, startRunCall } from './runs.ts';

export type Handler<N extends CallName> = (input: ParsedCallInput<N>, ctx: ServiceContext) => Promise<CallOutput<N>>;

export type HandlerTable = { readonly [N in CallName]: Handler<N> };

/** The service behind every call of the contract; a call without one does not compile. */
export const handlers: HandlerTable = {
  'about.get': about,
  'runs.list': listRunsCall,
  'runs.get': getRunCall,
  'runs.results': runResultsCall,
  'runs.start': startRunCall,
  'runs.cancel': cancelRunCall,
  'runs.resume': resumeRunCall,
  'runs.page': runsPageCall,
  'runs.series': seriesCall,
  'episodes.list': episodesListCall,
  'episodes.get': episodeGetCall,
  'synthetic.list': syntheticListCall,
  'synthetic.get': syntheticGetCall,
  'dataset.samples': realSamplesCall,
  'comparisons.list': listComparisonsCall,
  'comparisons.save': saveComparisonCall,
  'comparisons.delete': deleteComparisonCall,
};
