/** One place that turns a network kind (+ optional channels) into its definition, with checks. */
import { impalaNetwork, IMPALA_CHANNELS } from './impala.ts';
import { NETWORK_KINDS, type NetworkDef, type NetworkKind } from './network.ts';
import { studentNetwork, STUDENT_CHANNELS } from './student.ts';

export interface NetworkOptions {
  readonly kind: NetworkKind;
  /** Conv channels per stage; defaults to the paper's. */
  readonly channels?: readonly number[];
  readonly actions?: number;
}

export const DEFAULT_CHANNELS: Record<NetworkKind, readonly number[]> = { impala: IMPALA_CHANNELS, student: STUDENT_CHANNELS };

export function createNetwork(options: NetworkOptions): NetworkDef {
  const { kind, actions = 15 } = options;
  if (!NETWORK_KINDS.includes(kind)) throw new Error(`Unknown network '${String(kind)}'. Valid: ${NETWORK_KINDS.join(', ')}.`);
  const channels = options.channels ?? DEFAULT_CHANNELS[kind];
  if (channels.length === 0 || channels.some((c) => !Number.isInteger(c) || c < 1 || c > 1024)) {
    throw new Error(`Channels [${channels.join(', ')}] are invalid: give one or more whole numbers from 1 to 1024.`);
  }
  if (!Number.isInteger(actions) || actions < 2) throw new Error(`Action count ${actions} is invalid: use a whole number of at least 2.`);
  return kind === 'impala' ? impalaNetwork(channels, actions) : studentNetwork(channels, actions);
}
