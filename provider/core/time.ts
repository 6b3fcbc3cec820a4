/**
 * Time-zone arithmetic with the runtime's own zone data (Intl), for schedules and sending windows:
 * no dependency, and the same answers in the provider and the emulators.
 */

/** Answers of isTimeZone: building an Intl.DateTimeFormat costs ~0.5 ms, and every check asks. */
const knownZones = new Map<string, boolean>();

/** Is this an IANA time zone the runtime knows (`UTC`, `Europe/Paris`)? */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || !tz || /\s/.test(tz)) return false;
  let known = knownZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    // Bounded: a program has a handful of zones; a flood of bad ones is not worth keeping.
    if (knownZones.size < 1000) knownZones.set(tz, known);
  }
  return known;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (each costs ~0.5 ms to build; schedules and the emulator ask often). */
function wallClockFormat(tz: string): Intl.DateTimeFormat {
  let f = wallClockFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    if (wallClockFormats.size < 1000) wallClockFormats.set(tz, f);
  }
  return f;
}

/** Offset of `tz` at instant `ms`, in ms (local = UTC + offset). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const parts = wallClockFormat(tz).formatToParts(new Date(ms));
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
