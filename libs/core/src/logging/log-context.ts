import { AsyncLocalStorage } from 'node:async_hooks';

interface LogContext {
  requestId?: string;
  jobId?: string;
}

/** Carries the request or job id to every log line written while handling it. */
export const logContext = new AsyncLocalStorage<LogContext>();
