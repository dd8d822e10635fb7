import { PermanentError, RetryableError } from '@oktel/core';

/**
 * HEC's documented status codes ("Troubleshoot HTTP Event Collector", HEC error codes):
 * 1 token disabled (403), 2 token required (401), 3 invalid authorization (401), 4 invalid
 * token (403), 5 no data, 6 invalid data format, 7 incorrect index, 10 data channel missing,
 * 11 invalid data channel, 12 event field required, 13 event field blank, 14 ACK disabled,
 * 15 error in handling indexed fields, 16 query string authorization not enabled (all 400),
 * 8 internal server error (500), 9 server is busy (503).
 */
const HINT: Readonly<Record<number, string>> = {
  1: 'the HEC token is disabled in Splunk: enable it or use another token',
  2: 'no HEC token was sent',
  3: 'the Authorization header was refused: the token must be sent as "Splunk <token>"',
  4: 'Splunk does not know this HEC token: check the token value (it is not shown here)',
  7: "the index is not in the HEC token's allowed indexes: add it to the token (Settings > Data inputs > HTTP Event Collector > the token > Selected indexes) or change index / alerts.index",
  10: 'HEC wants a channel: enable ack (it sends X-Splunk-Request-Channel)',
  11: 'HEC refused the channel: set ack.channel to a GUID or leave it unset',
  14: 'ack is enabled here but indexer acknowledgement is off on the token: enable it on the token or set ack.enabled: false',
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export interface HecReply {
  text?: string;
  code?: number;
  ackId?: number;
  invalidEventNumber?: number;
}

export function parseReply(body: Buffer): HecReply {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as HecReply) : {};
  } catch {
    return {};
  }
}

/** The typed error for a non-success HEC answer, with what to do about it. */
export function hecError(status: number, reply: HecReply, host: string, retryAfterMs: number | undefined): RetryableError | PermanentError {
  const code = typeof reply.code === 'number' ? reply.code : undefined;
  const said = `${host} answered ${status}${code !== undefined ? ` (HEC code ${code}: ${reply.text ?? ''})` : reply.text ? `: ${reply.text}` : ''}`;
  const context = { status, ...(code !== undefined ? { hecCode: code } : {}) };
  if (RETRYABLE_STATUS.has(status) || code === 8 || code === 9) {
    return new RetryableError(said, { code: 'ERR_HEC_BUSY', context, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  const hint =
    code !== undefined
      ? HINT[code]
      : status === 401 || status === 403
        ? 'the HEC token was refused'
        : status === 413
          ? "the request is larger than Splunk's max_content_length: lower max_content_length"
          : undefined;
  const where = reply.invalidEventNumber !== undefined ? ` (events before number ${reply.invalidEventNumber} of the request were indexed)` : '';
  const auth = status === 401 || status === 403 || (code !== undefined && code >= 1 && code <= 4);
  return new PermanentError(`${said}${where}${hint ? `; ${hint}` : ''}`, { code: auth ? 'ERR_HEC_AUTH' : 'ERR_HEC_REJECTED', context });
}
