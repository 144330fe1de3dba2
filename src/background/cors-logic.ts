/**
 * The tracker's link to src/cors: the classifier, the candidate test and the reduction before storage.
 */
import { isCorsCandidate } from '../cors/candidate.ts';
import { classify } from '../cors/classify.ts';
import { isWarningReason } from '../cors/reasons.ts';
import { reduceExchange } from '../cors/reduce.ts';
import type { CorsLogic } from './tracker.ts';

export const corsLogic: CorsLogic = {
  isCandidate: isCorsCandidate,
  classify,
  reduce: reduceExchange,
  isWarning: (diagnosis) => isWarningReason(diagnosis.reason),
};
