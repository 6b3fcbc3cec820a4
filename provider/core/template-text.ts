/**
 * What the two template checks (burki/templates.ts, woodpecker/templates.ts) share. Both vendors
 * write a substitution as `{{…}}`, so the pairing of `{{` with `}}` is checked the same way and
 * said in the same words; what goes inside the braces is each vendor's own. Pure functions.
 */

/** A short excerpt of template text for a message (templates are campaign text, not personal data). */
export function excerpt(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * The next `opener` at or after `from` (-1 when there is none). Each `}}` before it closes
 * nothing: a sentence for each goes to `problems`, ending with how a substitution is written
 * (`example`), and the scan goes on after it.
 */
export function nextOpening(
  text: string,
  from: number,
  opener: string,
  example: string,
  problems: string[],
): number {
  let i = from;
  for (;;) {
    const open = text.indexOf(opener, i);
    const stray = text.indexOf("}}", i);
    if (stray < 0 || (open >= 0 && open < stray)) return open;
    problems.push(
      `has a "}}" that closes nothing, at character ${stray + 1} ("${excerpt(text.slice(Math.max(0, stray - 20), stray + 2))}"): ${example}`,
    );
    i = stray + 2;
  }
}

/** The sentence for a `{{` at `open` that no `}}` closes. */
export function unclosedOpening(text: string, open: number): string {
  return `has a "{{" that is never closed, at character ${open + 1} ("${excerpt(text.slice(open))}"): close it with "}}"`;
}
