import { randomBytes } from 'node:crypto';

/** Okta's error body (ModelError): only errorCode is meant for flow control. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

export function oktaError(errorCode: string, errorSummary: string, causes: string[] = []): OktaErrorBody {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomBytes(11).toString('base64url')}`,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  };
}

export const ERRORS = {
  validation: (cause: string) => oktaError('E0000001', 'Api validation failed: invalid parameter', [cause]),
  invalidToken: () => oktaError('E0000011', 'Invalid token provided'),
  accessDenied: () => oktaError('E0000006', 'You do not have permission to perform the requested action'),
  rateLimited: () => oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
  invalidFilter: (cause: string) => oktaError('E0000053', 'Invalid search criteria.', [cause]),
  internal: () => oktaError('E0000009', 'Internal Server Error'),
};
