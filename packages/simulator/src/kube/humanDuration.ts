/**
 * `HumanDuration` from k8s.io/apimachinery/pkg/util/duration: the AGE format
 * kubectl and server-side tables use (`45s`, `3m12s`, `15m`, `5h3m`, `2d4h`, `3y`).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to 2s in the future counts as "now" to tolerate clock skew, as upstream.
  if (seconds < -1) {
    return '<invalid>';
  } else if (seconds < 0) {
    return '0s';
  } else if (seconds < 60 * 2) {
    return `${seconds}s`;
  }
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  } else if (minutes < 60 * 3) {
    return `${minutes}m`;
  }
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  } else if (hours < 48) {
    return `${hours}h`;
  } else if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0
      ? `${Math.trunc(hours / 24)}d`
      : `${Math.trunc(hours / 24)}d${h}h`;
  } else if (hours < 24 * 365 * 2) {
    return `${Math.trunc(hours / 24)}d`;
  } else if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    const years = Math.trunc(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Age of an RFC 3339 timestamp relative to `now`, or `<unknown>` like kubectl. */
export function timestampAge(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || !timestamp) {
    return '<unknown>';
  }
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) {
    return '<unknown>';
  }
  return humanDuration(now.getTime() - at);
}
