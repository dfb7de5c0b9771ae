/** "42s", "5m", "3h 12m", "2d 4h". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Seconds since an ISO time (0 when in the future). */
export function secondsSince(iso: string | undefined, now = Date.now()) {
  if (!iso) return undefined;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? undefined : Math.max(0, (now - t) / 1000);
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** "$12.34"; "–" when unknown. */
export function formatUsd(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? '–'
    : usd.format(value);
}

/** "$3.67/h". */
export function formatUsdPerHour(value: number | undefined): string {
  return value === undefined ? '–' : `${formatUsd(value)}/h`;
}

/** "1.25 GPU-h". */
export function formatGpuHours(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const digits = value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} GPU-h`;
}

/** "80 GiB". */
export function formatGiB(value: number | undefined): string {
  if (value === undefined) return '–';
  return `${Number.isInteger(value) ? value : value.toFixed(1)} GiB`;
}

/** Local date and time of an ISO timestamp. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

const shortTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const shortTimeWithYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** "Dec 4, 7:21 PM" (with the year when it is not this year), for table cells. */
export function formatShortTime(
  iso: string | undefined,
  now = new Date(),
): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    date.getFullYear() === now.getFullYear() ? shortTime : shortTimeWithYear
  ).format(date);
}

const shortDate = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
});
const shortDateWithYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});
const clockTime = new Intl.DateTimeFormat(undefined, {
  hour: 'numeric',
  minute: '2-digit',
});

/** "Dec 4" (with the year when it is not this year). */
export function formatShortDate(
  iso: string | undefined,
  now = new Date(),
): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    date.getFullYear() === now.getFullYear() ? shortDate : shortDateWithYear
  ).format(date);
}

/** "7:21 PM". */
export function formatClockTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : clockTime.format(date);
}

/** "3.8B" parameters. */
export function formatParameters(billions: number): string {
  return billions >= 1
    ? `${Number.isInteger(billions) ? billions : billions.toFixed(1)}B`
    : `${Math.round(billions * 1000)}M`;
}
