import { SeverityNumber } from '@opentelemetry/api-logs';

/** Okta's four severities onto the first step of the matching band of the OTel data model. */
export const SEVERITY_NUMBERS: Readonly<Record<string, SeverityNumber>> = {
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

export function severityNumberOf(severity: string | undefined | null): SeverityNumber {
  return (severity && SEVERITY_NUMBERS[severity.toUpperCase()]) || SeverityNumber.UNSPECIFIED;
}
