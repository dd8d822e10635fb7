import { SeverityNumber } from '@opentelemetry/api-logs';

export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Alert severities onto the OTel bands, so backends that bucket by number (Datadog status) see warn/error. */
export const ALERT_SEVERITY_NUMBER: Readonly<Record<Severity, SeverityNumber>> = {
  informational: SeverityNumber.INFO,
  low: SeverityNumber.WARN,
  medium: SeverityNumber.WARN2,
  high: SeverityNumber.ERROR,
  critical: SeverityNumber.FATAL,
};

/** Default risk score per severity when a rule gives none (Elastic's bands). */
export const DEFAULT_RISK_SCORE: Readonly<Record<Severity, number>> = { informational: 0, low: 21, medium: 47, high: 73, critical: 99 };
