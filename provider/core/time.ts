/**
 * Time-zone arithmetic with the runtime's own zone data (Intl), for schedules and sending windows:
 * no dependency, and the same answers in the provider and the emulators.
 */

/** Is this an IANA time zone the runtime knows (`UTC`, `Europe/Paris`)? */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || !tz || /\s/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` at instant `ms`, in ms (local = UTC + offset). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in `tz`, given as if it were UTC (`naiveMs`). Two passes, so a
 * time next to a daylight-saving change takes the offset in force at that instant.
 */
export function instantInZone(naiveMs: number, tz: string): number {
  const first = naiveMs - zoneOffsetMs(naiveMs, tz);
  return naiveMs - zoneOffsetMs(first, tz);
}
