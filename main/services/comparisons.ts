/** The saved-comparison calls: list, save (replacing one of the same name), delete. */
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { comparisonOptions, type SavedComparison } from '@shared/api/comparisons.ts';
import { ApiError } from '@shared/api/errors.ts';
import { deleteComparison, listComparisons, missingRunIds, saveComparison, type SavedComparison as StoredComparison } from '../storage/comparisons.ts';
import type { ServiceContext } from './context.ts';

function withMissing(ctx: ServiceContext, saved: StoredComparison): SavedComparison {
  // Options written by another version may not parse: the comparison still opens, with defaults.
  const options = comparisonOptions.safeParse(saved.options);
  return { ...saved, runIds: [...saved.runIds], options: options.success ? options.data : {}, missingRunIds: missingRunIds(ctx.db.connection, saved.runIds) };
}

export async function listComparisonsCall(_input: ParsedCallInput<'comparisons.list'>, ctx: ServiceContext): Promise<SavedComparison[]> {
  return listComparisons(ctx.db.connection).map((saved) => withMissing(ctx, saved));
}

export async function saveComparisonCall(input: ParsedCallInput<'comparisons.save'>, ctx: ServiceContext): Promise<SavedComparison> {
  const missing = missingRunIds(ctx.db.connection, input.runIds);
  if (missing.length > 0) {
    throw new ApiError(
      'invalid_input',
      `No run with id ${missing.join(', ')}: remove ${missing.length > 1 ? 'them' : 'it'} from the comparison before saving.`,
    );
  }
  return withMissing(ctx, saveComparison(ctx.db.connection, input.name, [...new Set(input.runIds)], input.options));
}

export async function deleteComparisonCall(input: ParsedCallInput<'comparisons.delete'>, ctx: ServiceContext): Promise<{ deleted: boolean }> {
  return { deleted: deleteComparison(ctx.db.connection, input.id) };
}
