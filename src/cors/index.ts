/** The classifier's public API. Pure TypeScript: runs in Node and in both browsers. */
export { type AddressSpace, addressSpace, isMorePrivate } from './address-space.ts';
export { type CandidateInput, isCorsCandidate, isCrossOrigin, type RequestMode, requesterOrigin, requestMode } from './candidate.ts';
export { CHECK_ORDER, type Check, type CheckContext, classify, credentialsProof, type Failure, originAtHop, type Target } from './classify.ts';
export type { Certainty, Culprit, Diagnosis, Evidence, Finding, Stage } from './diagnosis.ts';
export * from './exchange.ts';
export * from './headers.ts';
export { type EngineFacts, type ErrorKind, engineFacts, type UnsentExplanation } from './policy.ts';
export { type PreflightCause, preflightCause } from './preflight-cause.ts';
export * from './reasons.ts';
export type { CorsRecord, TabRecords } from './record.ts';
export { MAX_VALUE_BYTES, redactUrl, truncateValue } from './redact.ts';
export { isKeptResponseHeader, KEPT_RESPONSE_HEADERS, reduceExchange } from './reduce.ts';
export { sanitizeExchange, sanitizeHeaders } from './sanitize.ts';
