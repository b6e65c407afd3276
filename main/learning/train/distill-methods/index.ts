/** Every distillation method by name; the one place to add one. */
import type { DistillVariant } from '@shared/config/methods.ts';
import { dcMethod } from './dc.ts';
import { dmMethod } from './dm.ts';
import { dsaMethod } from './dsa.ts';
import type { DistillMethod } from './method.ts';
import { mttMethod } from './mtt.ts';
import { paperMethod } from './paper.ts';

export const DISTILL_METHODS: Readonly<Record<DistillVariant, DistillMethod>> = {
  paper: paperMethod,
  dc: dcMethod,
  dsa: dsaMethod,
  dm: dmMethod,
  mtt: mttMethod,
};
